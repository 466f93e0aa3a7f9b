"""Every route by which an appeal could leave the public site: the takedown, or a refusal.

The takedown (Close appeal; the end of a clearance; a scheduled unpublishing date) leaves
nothing behind: the record is written, the photos leave the public media, unsent emails
and social posts are withdrawn, search forgets the person, caches are purged, and the
retention purge reaches a closed appeal later.

Wagtail's own ways off the site would leave all of that behind, so each is refused, and
changes nothing: Unpublish (the edit view's menu, the listing, bulk), Delete (single,
bulk), Move (single, bulk), Privacy (a view restriction), the same for the directory and
the home page above the appeals, and the same from code (``unpublish()``, the actions,
``live = False`` and ``save()``, a status set to found, ``delete()`` on pages and
querysets, ``move()``, a view restriction). Superusers are not exempt.
"""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.actions.move_page import MovePageAction
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Page, PageViewRestriction

from appeals.models import AppealPage, AppealTakedown, SocialPost
from appeals.off_site import TakedownRequired
from appeals.services import appeals_retention_purge, publicity_expire
from homeward import roles
from homeward.models import HomePage
from tests import factories
from tests.appeals.test_takedown import media_served, media_urls

pytestmark = pytest.mark.django_db

NAME = "Perpetua Hollowbrook"
SURNAME = "Hollowbrook"
ROLES = [roles.PUBLISHERS, roles.ADMINISTRATORS, "superuser"]


def person(role: str):
    if role == "superuser":
        return factories.user_create(is_superuser=True, is_staff=True)
    return factories.user_create(role=role)


def fresh(appeal) -> AppealPage:
    return AppealPage.objects.get(pk=appeal.pk)


class Public:
    """An appeal on the public site, and everything of it that is public."""

    def __init__(self, client, directory):
        self.client = client
        self.directory = directory
        self.appeal = factories.appeal_create(
            parent=directory, title=NAME, slug="perpetua-hollowbrook", photos=2
        )
        self.post = SocialPost.objects.create(
            appeal=self.appeal, channel="x", status="posted", reference="1790000000000000001"
        )
        self.url = self.appeal.url
        self.photos = media_urls(client.get(self.url).content.decode())
        self.photos |= media_urls(client.get(directory.url).content.decode())
        assert len(self.photos) >= 3 and all(media_served(url) for url in self.photos)
        assert self.found_by_search()

    def found_by_search(self) -> bool:
        listing = self.client.get(f"{self.directory.url}?q={SURNAME}").content.decode()
        listing = re.sub(r'name="q" value="[^"]*"', "", listing)
        return AppealPage.objects.search(SURNAME).count() > 0 or NAME in listing

    def served(self) -> int:
        self.client.logout()
        return self.client.get(self.url).status_code

    def assert_untouched(self) -> None:
        """The refusal: still live and public, nothing taken down, nothing recorded."""
        appeal = fresh(self.appeal)
        assert appeal.live and appeal.status == AppealPage.Status.MISSING
        assert appeal.url == self.url
        assert not AppealTakedown.objects.exists()
        assert self.served() == 200
        assert all(media_served(url) for url in self.photos)
        assert SocialPost.objects.get(pk=self.post.pk).withdrawn_at is None
        assert self.found_by_search()

    def assert_taken_down(self, outcome: str) -> AppealTakedown:
        """The whole takedown, and (for a closed appeal) the retention purge later."""
        takedown = AppealTakedown.objects.get(appeal=self.appeal)
        assert takedown.outcome == outcome
        assert takedown.completed_at is not None, takedown.last_error
        assert all(takedown.step_done(step) for step in AppealTakedown.Step.values)
        appeal = fresh(self.appeal)
        assert not appeal.live
        assert self.served() == (404 if outcome == AppealTakedown.Outcome.EXPIRED else 410)
        assert not any(media_served(url) for url in self.photos)
        assert SocialPost.objects.get(pk=self.post.pk).withdrawn_at is not None
        assert not self.found_by_search()
        later = takedown.closed_at + timedelta(days=settings.APPEAL_RETENTION_DAYS + 1)
        purged = appeals_retention_purge(now=later)
        if outcome == AppealTakedown.Outcome.EXPIRED:
            assert purged == 0  # still missing: open, never purged
        else:
            assert purged == 1
            assert fresh(self.appeal).title == f"Closed appeal {self.appeal.pk}"
        return takedown


@pytest.fixture
def public(client, directory):
    return Public(client, directory)


def refused(response) -> bool:
    """Wagtail's admin answers a refused permission by sending people to the dashboard."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def said(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


# The takedown: the routes that take an appeal off the site


@pytest.mark.parametrize("role", ROLES)
def test_close_appeal_takes_it_down_everywhere(
    client, public, role, django_capture_on_commit_callbacks
):
    client.force_login(person(role))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("appeals_close", args=[public.appeal.pk]),
            {"outcome": "withdrawn", "reason": "The police asked for it to come down."},
        )
    assert response.status_code == 302
    public.assert_taken_down(AppealTakedown.Outcome.WITHDRAWN)


def test_the_end_of_the_clearance_takes_it_down_everywhere(
    public, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert publicity_expire(now=timezone.now() + timedelta(days=30)) == [public.appeal]
    public.assert_taken_down(AppealTakedown.Outcome.EXPIRED)


def test_a_scheduled_unpublishing_date_takes_it_down_everywhere(
    public, django_capture_on_commit_callbacks
):
    AppealPage.objects.filter(pk=public.appeal.pk).update(
        expire_at=timezone.now() - timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled", stdout=StringIO(), stderr=StringIO())
    takedown = public.assert_taken_down(AppealTakedown.Outcome.EXPIRED)
    assert "unpublishing date" in takedown.reason


@pytest.mark.parametrize("due_in", [timedelta(minutes=-1), timedelta(seconds=3)])
@pytest.mark.parametrize("above", ["directory", "home"])
def test_a_scheduled_unpublishing_of_a_page_above_live_appeals_is_cancelled_not_fatal(
    public, above, due_in
):
    """Refused, and Wagtail's scheduled publishing goes on: it would otherwise stop at the
    refusal every minute (also for a date that falls due while the command runs)."""
    page = public.directory if above == "directory" else HomePage.objects.get()
    Page.objects.filter(pk=page.pk).update(expire_at=timezone.now() + due_in)
    stderr = StringIO()
    call_command("publish_scheduled", stdout=StringIO(), stderr=stderr)
    page.refresh_from_db()
    assert page.live and page.expire_at is None
    assert "holds live appeals" in stderr.getvalue()
    assert AppealPage.objects.get(pk=public.appeal.pk).live


# Refused in the admin: the appeal itself


@pytest.mark.parametrize("role", ROLES)
def test_unpublish_is_not_offered_and_a_forged_one_is_refused(client, public, role):
    client.force_login(person(role))
    unpublish_url = reverse("wagtailadmin_pages:unpublish", args=[public.appeal.pk])
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[public.appeal.pk]))
    listing = client.get(reverse("wagtailadmin_explore", args=[public.directory.pk]))
    assert unpublish_url not in edit.content.decode()
    assert unpublish_url not in listing.content.decode()
    assert reverse("appeals_close", args=[public.appeal.pk]) in edit.content.decode()

    assert refused(client.get(unpublish_url))
    assert refused(client.post(unpublish_url, {"include_descendants": "on"}))
    public.assert_untouched()


@pytest.mark.parametrize("role", ROLES)
def test_bulk_unpublish_is_refused(client, public, role):
    client.force_login(person(role))
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "unpublish"])
    url += f"?id={public.appeal.pk}"
    assert "have permission to unpublish" in client.get(url).content.decode()
    client.post(url, {"include_descendants": False})
    public.assert_untouched()


@pytest.mark.parametrize("role", ROLES)
def test_delete_is_not_offered_and_a_forged_one_is_refused(client, public, role):
    client.force_login(person(role))
    delete_url = reverse("wagtailadmin_pages:delete", args=[public.appeal.pk])
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[public.appeal.pk]))
    assert delete_url not in edit.content.decode()
    assert refused(client.get(delete_url))
    assert refused(client.post(delete_url))
    public.assert_untouched()


@pytest.mark.parametrize("role", ROLES)
def test_bulk_delete_is_refused(client, public, role):
    client.force_login(person(role))
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    url += f"?id={public.appeal.pk}"
    assert "have permission to delete" in client.get(url).content.decode()
    client.post(url, {"confirm_site_name": settings.WAGTAIL_SITE_NAME})
    public.assert_untouched()


@pytest.mark.parametrize("role", ROLES)
def test_moving_it_out_of_the_directory_is_refused(client, public, role):
    client.force_login(person(role))
    home = HomePage.objects.get()
    move_url = reverse("wagtailadmin_pages:move", args=[public.appeal.pk])
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[public.appeal.pk]))
    assert move_url not in edit.content.decode()
    assert refused(client.get(move_url))
    confirm = reverse("wagtailadmin_pages:move_confirm", args=[public.appeal.pk, home.pk])
    response = client.post(confirm)
    assert response.status_code == 302 and "stays in the directory" in said(response)
    public.assert_untouched()


@pytest.mark.parametrize("role", ROLES)
def test_bulk_move_is_refused(client, public, role):
    client.force_login(person(role))
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "move"])
    url += f"?id={public.appeal.pk}"
    assert "have permission to move" in client.get(url).content.decode()
    client.post(url, {"chooser": HomePage.objects.get().pk})
    public.assert_untouched()


# Refused in the admin: the pages above the appeals


def ancestor(public, which: str) -> Page:
    return public.directory if which == "directory" else HomePage.objects.get()


@pytest.mark.parametrize("which", ["directory", "home"])
@pytest.mark.parametrize("role", ROLES)
def test_unpublishing_a_page_above_live_appeals_is_refused(client, public, role, which):
    page = ancestor(public, which)
    client.force_login(person(role))
    url = reverse("wagtailadmin_pages:unpublish", args=[page.pk])
    response = client.post(url, {"include_descendants": "on"})
    assert response.status_code == 302
    assert Page.objects.get(pk=page.pk).live
    # Not offered to those without the right, nor for the directory; where it is
    # offered (a superuser's home page), refused with the reason.
    assert refused(response) or "holds live appeals" in said(response)
    if which == "home" and role == "superuser":
        assert "holds live appeals" in said(response)
    public.assert_untouched()

    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "unpublish"])
    client.post(f"{bulk}?id={page.pk}", {"include_descendants": True})
    assert Page.objects.get(pk=page.pk).live
    public.assert_untouched()


@pytest.mark.parametrize("which", ["directory", "home"])
@pytest.mark.parametrize("role", ROLES)
def test_deleting_a_page_above_public_appeals_is_refused(client, public, role, which):
    page = ancestor(public, which)
    client.force_login(person(role))
    response = client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
    assert response.status_code == 302
    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    client.post(f"{bulk}?id={page.pk}", {"confirm_site_name": settings.WAGTAIL_SITE_NAME})
    assert Page.objects.filter(pk=page.pk).exists()
    public.assert_untouched()


@pytest.mark.parametrize("which", ["appeal", "directory", "home"])
@pytest.mark.parametrize("role", ROLES)
def test_making_an_appeal_or_a_page_above_it_private_is_refused(client, public, role, which):
    page = public.appeal if which == "appeal" else ancestor(public, which)
    client.force_login(person(role))
    url = reverse("wagtailadmin_pages:set_privacy", args=[page.pk])
    response = client.post(url, {"restriction_type": "login"})
    assert response.status_code in (302, 403)
    assert not PageViewRestriction.objects.exists()
    public.assert_untouched()


# Refused from code


def unpublish_appeal(public):
    public.appeal.unpublish()


def unpublish_action(public):
    UnpublishPageAction(public.appeal, user=person("superuser")).execute(
        skip_permission_checks=True
    )


def unpublish_plain_page(public):
    Page.objects.get(pk=public.appeal.pk).unpublish()  # as scheduled or bulk actions load it


def save_not_live(public):
    appeal = fresh(public.appeal)
    appeal.live = False
    appeal.save()


def save_plain_page_not_live(public):
    page = Page.objects.get(pk=public.appeal.pk)
    page.live = False
    page.save(update_fields=["live"])


def close_by_status(public):
    # A revision saying "found", checked and published: the page would answer 410 Gone,
    # its photos, posts and emails left behind.
    appeal = fresh(public.appeal)
    appeal.status = AppealPage.Status.FOUND
    appeal.save_revision(user=factories.staff(roles.EDITORS))
    factories.publicity_clear(appeal)


def delete_appeal(public):
    fresh(public.appeal).delete()


def delete_plain_page(public):
    Page.objects.get(pk=public.appeal.pk).delete()


def delete_queryset(public):
    AppealPage.objects.filter(pk=public.appeal.pk).delete()


def delete_page_queryset(public):
    Page.objects.filter(pk=public.appeal.pk).delete()


def move_appeal(public):
    fresh(public.appeal).move(HomePage.objects.get(), pos="last-child")


def move_action(public):
    MovePageAction(fresh(public.appeal), HomePage.objects.get(), pos="last-child").execute()


def unpublish_directory(public):
    UnpublishPageAction(public.directory, include_descendants=True).execute()


def unpublish_home(public):
    HomePage.objects.get().unpublish()


def delete_directory(public):
    public.directory.delete()


def delete_home(public):
    HomePage.objects.get().delete()


def move_directory(public):
    public.directory.move(Page.get_first_root_node(), pos="last-child")


def restrict_appeal(public):
    PageViewRestriction.objects.create(page=public.appeal, restriction_type="login")


def restrict_directory(public):
    PageViewRestriction.objects.create(page=public.directory, restriction_type="login")


def restrict_home(public):
    PageViewRestriction.objects.create(page=HomePage.objects.get(), restriction_type="login")


@pytest.mark.parametrize(
    "route",
    [
        unpublish_appeal,
        unpublish_action,
        unpublish_plain_page,
        save_not_live,
        save_plain_page_not_live,
        close_by_status,
        delete_appeal,
        delete_plain_page,
        delete_queryset,
        delete_page_queryset,
        move_appeal,
        move_action,
        unpublish_directory,
        unpublish_home,
        delete_directory,
        delete_home,
        move_directory,
        restrict_appeal,
        restrict_directory,
        restrict_home,
    ],
)
def test_code_cannot_take_an_appeal_off_the_site_without_its_takedown(public, route):
    # In a transaction of its own, as a request or a job runs it: the refusal rolls back
    # whatever the route had begun (Wagtail logs a deletion before deleting).
    with pytest.raises(TakedownRequired, match="appeal"), transaction.atomic():
        route(public)
    public.assert_untouched()


# What stays allowed


def test_a_draft_that_was_never_public_can_still_be_deleted(directory):
    draft = factories.appeal_create(publish=False, title="Draft Dagny Pettifer")
    draft.delete()
    assert not AppealPage.objects.filter(pk=draft.pk).exists()


def test_appeals_can_be_reordered_within_the_directory(public):
    factories.appeal_create(title="Another Appeal Person")
    fresh(public.appeal).move(public.directory, pos="last-child")
    public.assert_untouched()
