"""Closing an appeal takes it down everywhere, quietly: page, photos, listings, caches,
emails and social posts. The X API is faked at the HTTP layer; everything else is real."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage, storages
from django.http import Http404
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from django.views.static import serve

from appeals.models import AppealPage, AppealTakedown, PublicityRefused
from appeals.services import (
    AppealAlreadyClosed,
    appeal_close,
    appeal_takedown_run,
    publicity_expire,
    takedowns_sweep,
)
from homeward import roles
from homeward.languages import ALL_LANGUAGES
from tests import factories

pytestmark = pytest.mark.django_db

NAME = "Marigold Quillfeather"
# Anything that would say who they were, on any public surface.
PERSONAL = ["Marigold", "Quillfeather", "quillfeather", "scar shaped like a crescent"]
OWNING_FORCE = "north-yorkshire-police"
OTHER_FORCE = "west-yorkshire-police"


@pytest.fixture
def appeal(directory):
    return factories.appeal_create(
        parent=directory,
        title=NAME,
        slug="marigold-quillfeather",
        photos=2,
        distinguishing_features="A scar shaped like a crescent",
        message="Marigold, please get in touch.",
    )


@pytest.fixture
def publisher():
    return factories.user_create(role=roles.PUBLISHERS)


def media_urls(html: str) -> set[str]:
    return set(re.findall(r"(/media/[^\"' ]+)", html))


def media_served(url: str) -> bool:
    """Whether the media URL answers, as the web server serving MEDIA_ROOT would."""
    try:
        serve(RequestFactory().get(url), url.removeprefix(settings.MEDIA_URL), settings.MEDIA_ROOT)
    except Http404:
        return False
    return True


def public_surfaces(directory) -> list[str]:
    return [
        "/",
        directory.url,
        f"{directory.url}?q=Quillfeather",
        f"{directory.url}?q=Marigold",
        f"{directory.url}feed/",
        "/sitemap.xml",
    ]


def without_the_query_said_back(html: str) -> str:
    """The page less the visitor's own words said back to them (in the search box, the
    title and "No one matches"): only the appeal's words would be a leak."""
    html = re.sub(r'name="q" value="[^"]*"', "", html)
    return re.sub(r'(&quot;|“|matching ")[^&”"<]*(&quot;|”|")', "", html)


def refused(response) -> bool:
    """Wagtail's admin answers a refused permission by sending people to the dashboard."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def not_found(response) -> bool:
    return response.status_code == 404


def assert_nothing_personal(text: str) -> None:
    for word in PERSONAL:
        assert word not in text


def close(appeal, user, capture, *, outcome="found", reason="Found safe by the police."):
    with capture(execute=True):
        return appeal_close(appeal=appeal, user=user, outcome=outcome, reason=reason)


def fresh(appeal) -> AppealPage:
    return AppealPage.objects.get(pk=appeal.pk)


def test_closing_takes_the_appeal_down_from_every_public_surface(
    client, directory, appeal, publisher, frontend_cache, django_capture_on_commit_callbacks
):
    page = client.get(appeal.url)
    assert page.status_code == 200
    photos = media_urls(page.content.decode())
    photos |= media_urls(client.get(directory.url).content.decode())  # the cards' renditions
    photos |= {photo.image.file.url for photo in appeal.photos.all()}  # the originals
    assert len(photos) >= 5 and all(media_served(url) for url in photos)
    for url in public_surfaces(directory):  # and now they are in the page cache
        assert client.get(url).status_code == 200
    assert NAME in client.get(f"{directory.url}feed/").content.decode()
    sighting_form = reverse("sighting-report", args=[appeal.pk])
    assert client.get(sighting_form).status_code == 200

    takedown = close(appeal, publisher, django_capture_on_commit_callbacks)

    gone = client.get(appeal.url)
    assert gone.status_code == 410
    text = gone.content.decode()
    assert "116&nbsp;000" in text and "999" in text
    assert_nothing_personal(text)
    for url in public_surfaces(directory):
        response = client.get(url)
        assert response.status_code == 200, url
        text = without_the_query_said_back(response.content.decode())
        assert_nothing_personal(text)
        assert appeal.url not in text
    for url in photos:
        assert not media_served(url), url
    form = client.get(sighting_form)
    assert form.status_code == 404
    assert "116&nbsp;000" in form.content.decode() and "999" in form.content.decode()
    assert_nothing_personal(form.content.decode())

    # The frontend cache was told to forget the page, the pages that list it and the photos.
    assert appeal.url in frontend_cache and directory.url in frontend_cache
    assert f"{directory.url}feed/" in frontend_cache and "/sitemap.xml" in frontend_cache
    assert photos <= set(frontend_cache)

    takedown.refresh_from_db()
    closed = fresh(appeal)
    assert closed.status == AppealPage.Status.FOUND and not closed.live
    assert closed.closed_at == takedown.closed_at
    assert takedown.closed_by == publisher and takedown.reason == "Found safe by the police."
    for step in ("media", "emails", "search", "caches"):
        assert takedown.step_done(step), takedown.last_error
    # Originals are kept privately until the retention purge; never under MEDIA_ROOT.
    for photo in closed.photos.all():
        assert not default_storage.exists(photo.image.file.name)
        assert storages["photos_private"].exists(photo.image.file.name)


def test_the_reason_and_outcome_are_never_published(
    client, directory, appeal, publisher, django_capture_on_commit_callbacks
):
    close(appeal, publisher, django_capture_on_commit_callbacks, reason="Traced by DS Xylander")
    for url in [appeal.url, *public_surfaces(directory)]:
        text = client.get(url).content.decode()
        assert "Xylander" not in text and "found safe" not in text.lower()
        assert "has been found" not in text.lower()


def test_a_closed_appeal_never_goes_live_again(
    appeal, publisher, django_capture_on_commit_callbacks
):
    close(appeal, publisher, django_capture_on_commit_callbacks)
    with pytest.raises(PublicityRefused):
        fresh(appeal).get_latest_revision().publish(skip_permission_checks=True)
    assert not fresh(appeal).live and fresh(appeal).status == AppealPage.Status.FOUND


def test_an_expired_clearance_starts_the_same_takedown_and_leaves_the_appeal_open(
    client, directory, django_capture_on_commit_callbacks
):
    appeal = factories.appeal_create(title=NAME, check={"review_days": 1})
    later = timezone.now() + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert publicity_expire(now=later) == [appeal]
    takedown = AppealTakedown.objects.get(appeal=appeal)
    assert takedown.outcome == AppealTakedown.Outcome.EXPIRED and takedown.closed_by is None
    assert all(takedown.step_done(step) for step in AppealTakedown.Step.values)
    down = fresh(appeal)
    assert (down.status, down.closed_at, down.live) == (AppealPage.Status.MISSING, None, False)
    assert client.get(appeal.url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert publicity_expire(now=later) == []  # nothing more to do


# Who may close


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("editor", False),
        ("safeguarding lead", False),
        ("caseworker", False),
        ("police of another force", False),
        ("publisher", True),
        ("police of the owning force", True),
        ("administrator", True),
        ("superuser", True),
    ],
)
def test_who_may_close_an_appeal(who, allowed, client, appeal, django_capture_on_commit_callbacks):
    user = {
        "editor": lambda: factories.user_create(role=roles.EDITORS),
        "safeguarding lead": lambda: factories.user_create(role=roles.SAFEGUARDING_LEADS),
        "caseworker": lambda: factories.user_create(role=roles.CASEWORKERS),
        "police of another force": lambda: factories.user_create(
            role=roles.POLICE_OFFICERS, force_slug=OTHER_FORCE
        ),
        "publisher": lambda: factories.user_create(role=roles.PUBLISHERS),
        "police of the owning force": lambda: factories.user_create(
            role=roles.POLICE_OFFICERS, force_slug=OWNING_FORCE
        ),
        "administrator": lambda: factories.user_create(role=roles.ADMINISTRATORS),
        "superuser": lambda: factories.user_create(is_superuser=True),
    }[who]()
    client.force_login(user)
    url = reverse("appeals_close", args=[appeal.pk])
    # An appeal of another force answers as one that does not exist.
    refusal = not_found if who == "police of another force" else refused
    page = client.get(url)
    assert page.status_code == 200 if allowed else refusal(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"outcome": "withdrawn", "reason": "Police asked."})
    assert fresh(appeal).is_closed is allowed
    if allowed:
        assert response.status_code == 302
        assert response["Location"] == reverse("appeals_takedowns:index")
    else:
        assert refusal(response)
        with pytest.raises(PermissionDenied):
            appeal_close(appeal=appeal, user=user, outcome="found", reason="Found.")
        assert not fresh(appeal).is_closed


def test_anonymous_visitors_cannot_reach_closing(client, appeal):
    response = client.post(reverse("appeals_close", args=[appeal.pk]), {"outcome": "found"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not fresh(appeal).is_closed


def test_closing_without_a_reason_or_outcome_explains_and_changes_nothing(
    client, appeal, publisher
):
    client.force_login(publisher)
    url = reverse("appeals_close", args=[appeal.pk])
    response = client.post(url, {"outcome": "found", "reason": "   "})
    assert response.status_code == 200
    assert "Give the reason" in response.content.decode()
    response = client.post(url, {"outcome": "expired", "reason": "Because."})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(ValidationError) as error:
        appeal_close(appeal=appeal, user=publisher, outcome="missing", reason="")
    assert set(error.value.message_dict) == {"outcome", "reason"}
    assert not fresh(appeal).is_closed and fresh(appeal).live
    assert not AppealTakedown.objects.exists()


def test_closing_twice_says_so(client, appeal, publisher, django_capture_on_commit_callbacks):
    close(appeal, publisher, django_capture_on_commit_callbacks)
    with pytest.raises(AppealAlreadyClosed):
        appeal_close(appeal=fresh(appeal), user=publisher, outcome="found", reason="Again.")
    client.force_login(publisher)
    response = client.get(reverse("appeals_close", args=[appeal.pk]), follow=True)
    assert "closed already" in response.content.decode()
    assert AppealTakedown.objects.count() == 1


def test_the_editor_offers_closing_to_those_who_may(client, appeal, publisher):
    edit_url = reverse("wagtailadmin_pages:edit", args=[appeal.pk])
    close_url = reverse("appeals_close", args=[appeal.pk])
    client.force_login(publisher)
    assert close_url in client.get(edit_url).content.decode()
    client.force_login(factories.user_create(role=roles.EDITORS))
    assert close_url not in client.get(edit_url).content.decode()


def test_police_close_from_their_list_of_cases(client, appeal):
    officer = factories.user_create(role=roles.POLICE_OFFICERS, force_slug=OWNING_FORCE)
    client.force_login(officer)
    listing = client.get(reverse("appeals_police_authorisation_index")).content.decode()
    assert reverse("appeals_close", args=[appeal.pk]) in listing


# Failures and retries


def test_a_failing_step_does_not_stop_the_others_and_is_retried(
    appeal, publisher, monkeypatch, django_capture_on_commit_callbacks
):
    def disk_failing(*args, **kwargs):
        raise OSError("Input/output error")

    monkeypatch.setattr(storages["default"], "delete", disk_failing)
    takedown = close(appeal, publisher, django_capture_on_commit_callbacks)
    takedown.refresh_from_db()
    assert not takedown.step_done("media") and takedown.completed_at is None
    assert takedown.step_done("emails") and takedown.step_done("search")
    # The CDN's purge of the photos' addresses waits for the photos step, which names them.
    assert not takedown.step_done("caches")
    assert "Photos and renditions: Input/output error" in takedown.last_error
    assert fresh(appeal).is_closed and not fresh(appeal).live  # the page went regardless

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert takedowns_sweep() == 0  # backing off
        assert takedowns_sweep(now=timezone.now() + timedelta(minutes=1)) == 1
    takedown.refresh_from_db()
    assert takedown.step_done("media") and takedown.step_done("caches")
    assert takedown.completed_at is not None and takedown.last_error == ""
    assert takedown.attempts == 2


def test_a_replayed_takedown_job_does_nothing_twice(
    appeal, publisher, django_capture_on_commit_callbacks
):
    takedown = close(appeal, publisher, django_capture_on_commit_callbacks)
    takedown.refresh_from_db()
    assert takedown.completed_at is not None
    steps, attempts = takedown.steps, takedown.attempts
    assert appeal_takedown_run(takedown_id=takedown.pk) is False  # nothing left to do
    takedown.refresh_from_db()
    assert (takedown.steps, takedown.attempts) == (steps, attempts)


# The report


def test_the_takedown_report_shows_what_is_done_and_pending_with_retry(
    client, appeal, publisher, django_capture_on_commit_callbacks
):
    takedown = close(appeal, publisher, django_capture_on_commit_callbacks)
    client.force_login(publisher)
    report = client.get(reverse("appeals_takedowns:index"))
    assert report.status_code == 200
    text = report.content.decode()
    assert NAME in text and "Found safe by the police." in text
    assert "Photos and renditions" in text and "cancelled" in text

    AppealTakedown.objects.filter(pk=takedown.pk).update(completed_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("appeals_takedowns:retry", args=[takedown.pk]))
    assert response.status_code == 302

    client.force_login(factories.user_create(role=roles.EDITORS))
    assert refused(client.get(reverse("appeals_takedowns:index")))
    assert refused(client.post(reverse("appeals_takedowns:retry", args=[takedown.pk])))
    client.force_login(factories.user_create(role=roles.POLICE_OFFICERS, force_slug=OTHER_FORCE))
    assert NAME not in client.get(reverse("appeals_takedowns:index")).content.decode()
    client.force_login(factories.user_create(role=roles.POLICE_OFFICERS, force_slug=OWNING_FORCE))
    assert NAME in client.get(reverse("appeals_takedowns:index")).content.decode()


@override_settings(LANGUAGES=ALL_LANGUAGES)
def test_closing_purges_the_appeal_from_the_cdn_in_every_language(
    appeal, directory, frontend_cache, django_capture_on_commit_callbacks
):
    factories.appeal_found(appeal, capture=django_capture_on_commit_callbacks, reason="Found.")
    for code in ("ps", "ti", "cy"):
        for path in (appeal.url, directory.url, f"{directory.url}feed/", "/"):
            assert f"/{code}{path}" in frontend_cache, (code, path)
    assert "/ps/sitemap.xml" not in frontend_cache  # one sitemap lists every language
