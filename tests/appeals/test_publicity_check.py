"""The checklist, four eyes, expiry and reminders, police authorisation, and the audit trail."""

from datetime import datetime, time, timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from appeals.models import (
    AppealPage,
    PublicityCheck,
    PublicityDecision,
    PublicitySettings,
)
from homeward import roles
from homeward.models import PoliceForce
from homeward.page_cache import page_cache_purge
from tests import factories

pytestmark = pytest.mark.django_db


def fresh(appeal: AppealPage) -> AppealPage:
    return AppealPage.objects.get(pk=appeal.pk)


def actions_for(appeal: AppealPage, user) -> list[str]:
    task_state = fresh(appeal).current_workflow_task_state
    return [name for name, *_ in task_state.task.specific.get_actions(appeal, user)]


# The checklist page


def checklist_data(appeal: AppealPage, **overrides) -> dict:
    """What the checklist form posts when every item passes."""
    today = timezone.localdate()
    data = {
        "revision_id": appeal.get_latest_revision().pk,
        "authorising_force": appeal.police_force_id,
        "authorising_officer": "DI Fictional Example",
        "authorising_case_reference": appeal.case_reference,
        "authorised_on": today.isoformat(),
        "consent_from": PublicityCheck.ConsentFrom.PARENT,
        "consent_given_by": "Their father",
        "consent": PublicityCheck.Consent.GIVEN,
        "risk_of_locating": PublicityCheck.Risk.NO,
        "risk_of_displacement": PublicityCheck.Risk.NO,
        "no_immigration_status": "on",
        "no_placement_or_address": "on",
        "no_school_or_uniform": "on",
        "suitable_photo": "on",
        "suitable_wording": "on",
        "decision": PublicityDecision.PUBLIC,
        "review_date": (today + timedelta(days=7)).isoformat(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def awaiting_check(directory):
    appeal = factories.appeal_create(publish=False, title="Checked Cordelia")
    factories.workflow_start(appeal)
    return fresh(appeal)


@pytest.fixture
def lead_client(client):
    client.force_login(factories.staff(roles.SAFEGUARDING_LEADS))
    return client


def checklist_url(appeal: AppealPage) -> str:
    return reverse("appeals_publicity_check", args=[appeal.pk])


def test_a_safeguarding_lead_completes_the_check_and_it_awaits_approval(
    lead_client, awaiting_check
):
    page = lead_client.get(checklist_url(awaiting_check)).content.decode()
    assert "Checked Cordelia" in page and "The version you are checking" in page
    assert "Traffickers and exploiters watch appeals" in page  # guidance beside each item

    response = lead_client.post(checklist_url(awaiting_check), checklist_data(awaiting_check))
    assert response.status_code == 302
    check = PublicityCheck.objects.get(appeal=awaiting_check)
    assert check.revision == awaiting_check.get_latest_revision()
    assert check.completed_by == factories.staff(roles.SAFEGUARDING_LEADS)
    assert not check.is_approved
    assert str(fresh(awaiting_check).current_workflow_task) == "Publisher approval"
    entry = PageLogEntry.objects.get(page=awaiting_check, action="homeward.publicity.checked")
    assert entry.revision == check.revision and entry.user == check.completed_by


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent_given_by": ""}, "consent_given_by", "name of the parent or guardian"),
        (
            {"consent": PublicityCheck.Consent.REFUSED},
            "consent_refusal_reason",
            "record the police's decision",
        ),
        (
            {"review_date": (timezone.localdate() - timedelta(days=1)).isoformat()},
            "review_date",
            "must be after today",
        ),
        ({"review_date": timezone.localdate().isoformat()}, "review_date", "after today"),
        (
            {"review_date": (timezone.localdate() + timedelta(days=40)).isoformat()},
            "review_date",
            "within 28 days",
        ),
        (
            {"authorised_on": (timezone.localdate() + timedelta(days=2)).isoformat()},
            "authorised_on",
            "cannot be in the future",
        ),
        ({"authorising_case_reference": "XX-0000"}, "authorising_case_reference", "does not match"),
        ({"authorising_force": 1}, "authorising_force", "force that owns the case"),
        (
            {
                "risk_of_locating": PublicityCheck.Risk.YES,
                "risk_of_locating_notes": "Known exploiters",
            },
            "decision",
            "cannot go ahead",
        ),
        (
            {"risk_of_displacement": PublicityCheck.Risk.MITIGATED},
            "risk_of_displacement_notes",
            "Say what",
        ),
        ({"suitable_photo": None}, "suitable_photo", "Confirm this"),
        ({"decision": PublicityDecision.RESTRICTED}, "decision_reason", "Give the reasons"),
        ({"decision": None}, "decision", "required"),
        ({"authorising_officer": "x" * 121}, "authorising_officer", "at most 120"),
    ],
)
def test_checklist_bad_inputs_get_clear_errors_and_save_nothing(
    lead_client, awaiting_check, overrides, field, message
):
    if field == "authorising_force":
        overrides = {"authorising_force": PoliceForce.objects.get(slug="kent-police").pk}
    response = lead_client.post(
        checklist_url(awaiting_check), checklist_data(awaiting_check, **overrides)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors.get(field, [])), errors
    assert not PublicityCheck.objects.exists()
    assert str(fresh(awaiting_check).current_workflow_task) == "Publicity safety check"


def test_a_check_of_a_version_that_changed_meanwhile_is_refused(lead_client, awaiting_check):
    data = checklist_data(awaiting_check)
    awaiting_check.last_seen_area = "Changed meanwhile"
    awaiting_check.save_revision(user=factories.staff(roles.SAFEGUARDING_LEADS))
    response = lead_client.post(checklist_url(awaiting_check), data)
    assert response.status_code == 200
    assert "changed while you were checking" in str(response.context["form"].non_field_errors())
    assert not PublicityCheck.objects.exists()


def test_items_that_do_not_apply_to_an_adult_are_not_asked(lead_client, directory):
    adult = factories.appeal_create(publish=False, age_when_missing=40)
    factories.workflow_start(adult)
    form = lead_client.get(checklist_url(adult)).context["form"]
    for name in ["consent_from", "social_worker", "persons_views", "no_school_or_uniform"]:
        assert name not in form.fields
    assert "adults_wishes" in form.fields
    response = lead_client.post(
        checklist_url(adult), checklist_data(adult, consent_from=None, adults_wishes="")
    )
    assert "adults_wishes" in response.context["form"].errors


def test_a_child_in_care_needs_the_local_authority_and_a_named_social_worker(
    lead_client, directory
):
    child = factories.appeal_create(publish=False, in_care=True)
    factories.workflow_start(child)
    response = lead_client.post(checklist_url(child), checklist_data(child, consent_from=None))
    assert "social_worker" in response.context["form"].errors
    lead_client.post(
        checklist_url(child),
        checklist_data(
            child,
            consent_from=None,
            consent_given_by="Fictional Council",
            social_worker="A. Worker",
        ),
    )
    check = PublicityCheck.objects.get(appeal=child)
    assert check.consent_from == PublicityCheck.ConsentFrom.LOCAL_AUTHORITY


def test_a_trafficked_child_needs_an_nrm_status_and_a_seven_day_review(lead_client, directory):
    child = factories.appeal_create(publish=False, trafficked=True)
    factories.workflow_start(child)
    response = lead_client.post(checklist_url(child), checklist_data(child))
    assert "nrm_status" in response.context["form"].errors
    late = (timezone.localdate() + timedelta(days=8)).isoformat()
    response = lead_client.post(
        checklist_url(child),
        checklist_data(child, nrm_status=PublicityCheck.NrmStatus.AWAITING, review_date=late),
    )
    assert "within 7 days" in str(response.context["form"].errors["review_date"])


def test_review_periods_are_set_in_wagtail_settings(lead_client, awaiting_check):
    policy = PublicitySettings.load()
    policy.review_days = 10
    policy.save()
    form = lead_client.get(checklist_url(awaiting_check)).context["form"]
    assert form.initial["review_date"] == timezone.localdate() + timedelta(days=10)


@pytest.mark.parametrize("role", [roles.EDITORS, roles.PUBLISHERS, roles.CASEWORKERS])
def test_only_safeguarding_leads_complete_the_check(client, awaiting_check, role):
    client.force_login(factories.staff(role))
    # Wagtail's admin answers a refusal by sending the user back to the dashboard.
    response = client.get(checklist_url(awaiting_check))
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    client.post(checklist_url(awaiting_check), checklist_data(awaiting_check))
    assert not PublicityCheck.objects.exists()


def test_the_editor_action_menu_leads_to_the_checklist(lead_client, awaiting_check):
    edit = lead_client.get(reverse("wagtailadmin_pages:edit", args=[awaiting_check.pk]))
    assert checklist_url(awaiting_check) in edit.content.decode()


# Four eyes


@pytest.mark.parametrize("flag", ["trafficked", "unaccompanied_asylum_seeking"])
def test_four_eyes_the_checker_cannot_approve_a_flagged_appeal(directory, flag):
    appeal = factories.appeal_create(publish=False, **{flag: True})
    lead_and_publisher = factories.user_create(role=roles.PUBLISHERS)
    lead_and_publisher.groups.add(Group.objects.get(name=roles.SAFEGUARDING_LEADS))
    factories.publicity_check(appeal, checker=lead_and_publisher, nrm_status="awaiting")

    assert "approve" not in actions_for(appeal, lead_and_publisher)
    with pytest.raises(PermissionDenied):
        factories.publicity_approve(appeal, approver=lead_and_publisher)
    assert not fresh(appeal).live
    assert PageLogEntry.objects.filter(page=appeal, action="homeward.publicity.approval_refused")

    assert "approve" in actions_for(appeal, factories.staff(roles.PUBLISHERS))
    assert factories.publicity_approve(appeal).live


def test_four_eyes_binds_superusers_too(directory):
    appeal = factories.appeal_create(publish=False, trafficked=True)
    superuser = factories.user_create(is_superuser=True, is_staff=True)
    factories.publicity_check(appeal, checker=superuser, nrm_status="awaiting")
    assert "approve" not in actions_for(appeal, superuser)


def test_without_flags_one_person_may_check_and_approve(directory):
    appeal = factories.appeal_create(publish=False)
    both = factories.user_create(role=roles.PUBLISHERS)
    both.groups.add(Group.objects.get(name=roles.SAFEGUARDING_LEADS))
    factories.publicity_check(appeal, checker=both)
    assert factories.publicity_approve(appeal, approver=both).live


# Expiry, with time travel


def at(day, hour=9):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def test_an_expired_clearance_takes_the_appeal_off_the_public_site(client, directory):
    appeal = factories.appeal_create(title="Expiring Evangeline", check={"review_days": 3})
    review_date = timezone.localdate() + timedelta(days=3)

    with time_machine.travel(at(review_date - timedelta(days=1))):
        assert client.get(appeal.url).status_code == 200

    with time_machine.travel(at(review_date, hour=0) + timedelta(seconds=1)):
        # Redis expires cache entries in real time, not travelled time; in real time no
        # entry outlives the clearance (see the next test). Start without them.
        page_cache_purge()
        # Failing closed: gone before any job runs.
        assert client.get(appeal.url).status_code == 404
        assert "Evangeline" not in client.get(directory.url).content.decode()

        call_command("publicity_review", stdout=StringIO())
        assert not fresh(appeal).live
        entry = PageLogEntry.objects.get(page=appeal, action="homeward.publicity.expired")
        assert entry.user is None
        call_command("publicity_review", stdout=StringIO())  # nothing more to do
        assert PageLogEntry.objects.filter(action="homeward.publicity.expired").count() == 1


def test_shared_caches_never_keep_a_page_past_its_clearance(client, directory):
    appeal = factories.appeal_create(check={"review_days": 1})
    with time_machine.travel(at(timezone.localdate(), hour=23) + timedelta(minutes=58)):
        response = client.get(appeal.url)
    seconds = int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 0 < seconds <= 120


def test_staff_are_emailed_two_days_ahead_once(directory):
    appeal = factories.appeal_create(title="Reminded Rosamund", check={"review_days": 7})
    review_date = timezone.localdate() + timedelta(days=7)
    mail.outbox.clear()  # Wagtail's own workflow notifications

    with time_machine.travel(at(review_date - timedelta(days=3))):
        call_command("publicity_review", stdout=StringIO())
        assert mail.outbox == []

    with time_machine.travel(at(review_date - timedelta(days=2), hour=1)):
        call_command("publicity_review", stdout=StringIO())
        call_command("publicity_review", stdout=StringIO())  # a retried job sends nothing more
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Reminded Rosamund" in message.subject
    assert set(message.to) == {
        factories.staff(roles.SAFEGUARDING_LEADS).email,
        factories.staff(roles.PUBLISHERS).email,
        factories.staff(roles.EDITORS).email,
    }
    assert f"/admin/pages/{appeal.pk}/edit/" in message.body


def test_the_dashboard_shows_clearances_ending_soon(client, directory):
    factories.appeal_create(title="Ending Eleanor", check={"review_days": 1})
    client.force_login(factories.staff(roles.SAFEGUARDING_LEADS))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Publicity clearances" in home and "Ending Eleanor" in home


# Police authorisation


@pytest.fixture
def officer(directory):
    return factories.user_create(
        role=roles.POLICE_OFFICERS, force_slug="north-yorkshire-police", first_name="Jo"
    )


def test_an_officer_of_the_owning_force_authorises_and_the_check_uses_it(
    client, lead_client, officer, awaiting_check
):
    officer_client = type(client)()
    officer_client.force_login(officer)
    url = reverse("appeals_police_authorisation", args=[awaiting_check.pk])
    assert "Checked Cordelia" in officer_client.get(url).content.decode()
    response = officer_client.post(
        url,
        {"officer_name": "PC Jo Fictional", "authorised_on": timezone.localdate(), "confirm": "on"},
    )
    assert response.status_code == 302

    form = lead_client.get(checklist_url(awaiting_check)).context["form"]
    assert "authorising_officer" not in form.fields
    data = checklist_data(
        awaiting_check,
        authorising_force=None,
        authorising_officer=None,
        authorising_case_reference=None,
        authorised_on=None,
    )
    lead_client.post(checklist_url(awaiting_check), data)
    check = PublicityCheck.objects.get(appeal=awaiting_check)
    assert check.police_authorisation.authorised_by == officer
    assert check.authorising_officer == "PC Jo Fictional"
    assert PageLogEntry.objects.filter(
        page=awaiting_check, action="homeward.publicity.police_authorised", user=officer
    )


def test_an_officer_of_another_force_cannot_authorise(client, awaiting_check):
    other = factories.user_create(role=roles.POLICE_OFFICERS, force_slug="kent-police")
    client.force_login(other)
    url = reverse("appeals_police_authorisation", args=[awaiting_check.pk])
    assert client.get(url).status_code == 404  # as for an appeal that does not exist
    client.post(url, {"officer_name": "x", "authorised_on": "2026-01-01", "confirm": "on"})
    assert not awaiting_check.police_authorisations.exists()


# Who may read a check's answers


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        (roles.SAFEGUARDING_LEADS, True),
        (roles.PUBLISHERS, True),
        (roles.CASEWORKERS, True),
        (roles.ADMINISTRATORS, True),
        (roles.EDITORS, False),
        ("police of the owning force", True),
        ("police of another force", False),
    ],
)
def test_check_answers_are_shown_only_to_those_allowed(client, directory, who, allowed):
    appeal = factories.appeal_create(check={"consent_given_by": "Consenting Parentname"})
    check = PublicityCheck.objects.get(appeal=appeal)
    if who == "police of the owning force":
        user = factories.user_create(
            role=roles.POLICE_OFFICERS, force_slug="north-yorkshire-police"
        )
    elif who == "police of another force":
        user = factories.user_create(role=roles.POLICE_OFFICERS, force_slug="kent-police")
    else:
        user = factories.user_create(role=who)
    client.force_login(user)
    response = client.get(check.get_absolute_url())
    assert (response.status_code == 200) == allowed
    assert ("Consenting Parentname" in response.content.decode()) == allowed
    if who in (roles.EDITORS, roles.PUBLISHERS):
        edit = client.get(reverse("wagtailadmin_pages:edit", args=[appeal.pk])).content.decode()
        assert (check.get_absolute_url() in edit) == allowed
