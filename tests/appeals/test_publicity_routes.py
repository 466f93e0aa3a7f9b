"""Every route by which an appeal could go public: refused without a valid check, allowed with one.

Routes: the edit view's Publish, the create view's Publish, workflow approval, scheduled
publishing, bulk publish, copy keeping the copy live, a revision published from code,
a live page saved from code, and serving a row that says live. Superusers are not exempt.
"""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from appeals.models import AppealPage, PublicityDecision, PublicityRefused
from appeals.services.closing import appeal_expire
from homeward import roles
from tests import factories

pytestmark = pytest.mark.django_db

PUBLISHING_ROLES = [roles.PUBLISHERS, roles.ADMINISTRATORS, "superuser"]


def person(role: str):
    if role == "superuser":
        return factories.user_create(is_superuser=True, is_staff=True)
    return factories.user_create(role=role)


def fresh(appeal: AppealPage) -> AppealPage:
    return AppealPage.objects.get(pk=appeal.pk)


def publicly_served(client, appeal: AppealPage) -> bool:
    client.logout()
    return client.get(appeal.url).status_code == 200


@pytest.fixture
def draft(directory):
    return factories.appeal_create(publish=False, title="Draft Dilys Wormleighton")


# The edit view and the create view


@pytest.mark.parametrize("role", PUBLISHING_ROLES)
def test_the_edit_view_offers_no_publish_button_and_ignores_a_forged_one(client, draft, role):
    client.force_login(person(role))
    edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    page = client.get(edit_url).content.decode()
    assert 'name="action-publish"' not in page

    data = factories.edit_form_data(client, edit_url)
    client.post(edit_url, {**data, "action-publish": "action-publish"})
    assert not fresh(draft).live
    assert not publicly_served(client, draft)


@pytest.mark.parametrize("role", PUBLISHING_ROLES)
def test_the_create_view_cannot_publish_a_new_appeal(client, directory, role):
    client.force_login(person(role))
    add_url = reverse("wagtailadmin_pages:add", args=["appeals", "appealpage", directory.pk])
    assert 'name="action-publish"' not in client.get(add_url).content.decode()
    data = factories.new_appeal_form_data(slug="forged-publish")
    client.post(add_url, {**data, "action-publish": "action-publish"})
    assert not AppealPage.objects.get(slug="forged-publish").live


# The workflow


def test_workflow_approval_publishes_a_checked_appeal(client, draft):
    factories.publicity_check(draft)
    assert not fresh(draft).live  # a check alone is not enough
    live = factories.publicity_approve(draft)
    assert live.live
    assert publicly_served(client, live)


def test_approval_is_not_offered_or_possible_without_a_check(draft):
    task_state = factories.workflow_start(draft)
    task_state.approve(user=factories.staff(roles.SAFEGUARDING_LEADS))  # skips the checklist
    task_state = fresh(draft).current_workflow_task_state
    publisher = factories.staff(roles.PUBLISHERS)
    actions = [name for name, *_ in task_state.task.specific.get_actions(draft, publisher)]
    assert "approve" not in actions and "reject" in actions
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, publisher, "approve")
    assert not fresh(draft).live


@pytest.mark.parametrize("decision", [PublicityDecision.RESTRICTED, PublicityDecision.NONE])
def test_restricted_and_no_publicity_decisions_never_make_a_page(client, draft, decision):
    appeal = factories.publicity_clear(draft, decision=decision, decision_reason="Too risky.")
    assert not appeal.live
    with pytest.raises(PublicityRefused):
        appeal.get_latest_revision().publish()
    assert not publicly_served(client, appeal)
    assert PageLogEntry.objects.filter(page=appeal, action="homeward.publicity.withheld")


# Scheduled publishing


def test_scheduled_publishing_waits_for_go_live_and_refuses_an_expired_clearance(client, directory):
    go_live = timezone.now() + timedelta(days=3)
    cleared = factories.appeal_create(publish=False, title="Scheduled Saffron")
    expiring = factories.appeal_create(publish=False, title="Expiring Ezekiel")
    for appeal, review_days in [(cleared, 7), (expiring, 2)]:
        appeal.go_live_at = go_live
        appeal.save_revision(user=factories.staff(roles.EDITORS))
        factories.publicity_clear(appeal, review_days=review_days)
        assert not fresh(appeal).live  # scheduled, not yet live

    with time_machine.travel(go_live + timedelta(minutes=1)):
        errors = StringIO()
        call_command("publish_scheduled", stdout=StringIO(), stderr=errors)
        assert fresh(cleared).live
        assert publicly_served(client, cleared)
        assert not fresh(expiring).live  # its clearance ended before it was due
        assert "Expiring Ezekiel" in errors.getvalue()
        assert fresh(expiring).get_latest_revision().approved_go_live_at is None
        assert PageLogEntry.objects.filter(page=expiring, action="homeward.publicity.refused")


# Bulk publish and copy


@pytest.mark.parametrize("role", PUBLISHING_ROLES)
def test_bulk_publish_refuses_appeals(client, draft, role):
    client.force_login(person(role))
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    url += f"?id={draft.pk}"
    assert "have permission to publish this page" in client.get(url).content.decode()
    client.post(url, {"include_descendants": False})
    assert not fresh(draft).live


@pytest.mark.parametrize("role", PUBLISHING_ROLES)
def test_a_copy_cannot_be_kept_live_but_can_be_made_as_a_draft(client, directory, role):
    appeal = factories.appeal_create(title="Original Oona")
    client.force_login(person(role))
    copy_url = reverse("wagtailadmin_pages:copy", args=[appeal.pk])
    form = {"new_title": "Copied Oona", "new_parent_page": directory.pk, "alias": False}

    kept_live = client.post(copy_url, {**form, "new_slug": "kept-live", "publish_copies": True})
    assert "permission to publish pages" in str(kept_live.context["form"].errors)
    assert not AppealPage.objects.filter(slug="kept-live").exists()

    client.post(copy_url, {**form, "new_slug": "as-draft"})
    assert not AppealPage.objects.get(slug="as-draft").live


# Code


def test_a_revision_published_from_code_needs_a_valid_clearance(draft):
    with pytest.raises(PublicityRefused):
        draft.get_latest_revision().publish()
    assert not fresh(draft).live
    assert PageLogEntry.objects.filter(page=draft, action="homeward.publicity.refused")


def test_a_page_saved_live_from_code_is_refused(draft):
    draft.live = True
    with pytest.raises(PublicityRefused):
        draft.save()
    assert not fresh(draft).live


def test_a_live_page_edited_in_place_from_code_is_refused(directory):
    appeal = factories.appeal_create()
    appeal.last_seen_area = "Somewhere the check never saw"
    with pytest.raises(PublicityRefused, match="differs"):
        appeal.save()


def test_a_cleared_revision_can_be_republished_from_code(directory):
    appeal = factories.appeal_create()
    appeal_expire(appeal=appeal)  # taken down (Wagtail's unpublish alone is refused)
    fresh(appeal).get_latest_revision().publish()
    assert fresh(appeal).live


# Editing after approval


def test_an_edit_after_approval_needs_a_new_check_and_the_live_version_stays(
    client, directory, django_capture_on_commit_callbacks
):
    appeal = factories.appeal_create(title="Approved Araminta")
    appeal.title = "Edited Araminta"
    new_revision = appeal.save_revision(user=factories.staff(roles.EDITORS))

    assert "Approved Araminta" in client.get(appeal.url).content.decode()
    with pytest.raises(PublicityRefused):
        new_revision.publish()
    assert "Approved Araminta" in client.get(appeal.url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # the page cache is purged
        factories.publicity_clear(fresh(appeal))
    assert "Edited Araminta" in client.get(appeal.url).content.decode()


def test_an_edit_during_the_workflow_sends_it_back_to_the_check(draft):
    factories.publicity_check(draft)
    draft = fresh(draft)
    draft.last_seen_area = "Whitby"
    draft.save_revision(user=factories.staff(roles.PUBLISHERS))
    task_state = fresh(draft).current_workflow_task_state
    publisher = factories.staff(roles.PUBLISHERS)
    actions = [name for name, *_ in task_state.task.specific.get_actions(draft, publisher)]
    assert "approve" not in actions  # the check covered the earlier revision


# Failing closed


def test_a_row_that_says_live_without_a_clearance_is_never_served(client, draft, directory):
    AppealPage.objects.filter(pk=draft.pk).update(live=True, live_revision=draft.latest_revision)
    assert client.get(draft.url).status_code == 404
    for url in [
        "/",
        directory.url,
        f"{directory.url}?q=Dilys",
        f"{directory.url}feed/",
        "/sitemap.xml",
    ]:
        assert "Wormleighton" not in client.get(url).content.decode(), url
