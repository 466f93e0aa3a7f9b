"""A child found is owed a return home interview within 72 hours: closing records it as
due, caseworkers see what is due and overdue and record the offer and its outcome (never
what was said), and nobody else sees them."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from appeals.models import ReturnHomeInterview
from appeals.services import appeals_retention_purge, return_home_interview_record
from homeward import roles
from tests import factories
from tests.sightings.conftest import login_as, staff_of

pytestmark = pytest.mark.django_db

# Everyone who might ask, and whether they may see and record interviews.
WHO_RECORDS_INTERVIEWS = [
    ("anonymous", False),
    (roles.EDITORS, False),
    (roles.PUBLISHERS, False),
    (roles.SAFEGUARDING_LEADS, False),
    (roles.ADMINISTRATORS, False),
    ("superuser", True),
    (roles.CASEWORKERS, True),
    ("police of the owning force", False),
    ("police of another force", False),
]


@pytest.fixture
def found_child(directory):
    appeal = factories.appeal_create(title="Homecoming Hollis", age_when_missing=14)
    factories.appeal_closed(appeal)
    return appeal


@pytest.fixture
def interview(found_child):
    return ReturnHomeInterview.objects.get(appeal=found_child)


def record(interview, user=None, **answers):
    return return_home_interview_record(
        interview=interview,
        user=user or factories.user_create(role=roles.CASEWORKERS),
        **{
            "offered_by": "",
            "offered_by_name": "",
            "offered_at": None,
            "held_at": None,
            "not_held_reason": "",
            **answers,
        },
    )


# Made due by closing


def test_a_child_found_is_owed_an_interview_within_72_hours(interview, found_child):
    takedown = found_child.takedown
    assert interview.found_at == takedown.closed_at
    assert interview.due_by == takedown.closed_at + timedelta(hours=72)
    assert interview.police_force_id == found_child.police_force_id
    assert not interview.is_overdue()
    with time_machine.travel(interview.due_by + timedelta(minutes=1)):
        assert interview.is_overdue()
        assert list(ReturnHomeInterview.objects.overdue()) == [interview]


@pytest.mark.parametrize(
    ("age", "outcome"), [(40, "found"), (14, "withdrawn")], ids=["adult found", "child withdrawn"]
)
def test_only_a_child_found_is_owed_one(directory, age, outcome):
    factories.appeal_closed(factories.appeal_create(age_when_missing=age), outcome=outcome)
    assert not ReturnHomeInterview.objects.exists()


# Recording it


@time_machine.travel(timezone.now() + timedelta(days=2))
def test_a_caseworker_records_the_offer_then_the_interview_held(interview):
    caseworker = factories.user_create(role=roles.CASEWORKERS)
    offered = interview.found_at + timedelta(hours=5)
    record(
        interview,
        caseworker,
        offered_by="local-authority",
        offered_by_name="Fictional Borough Council",
        offered_at=offered,
    )
    interview.refresh_from_db()
    assert interview.offered_at == offered and not interview.is_settled
    record(
        interview,
        caseworker,
        offered_by="local-authority",
        offered_by_name="Fictional Borough Council",
        offered_at=offered,
        held_at=offered + timedelta(hours=20),
    )
    interview.refresh_from_db()
    assert interview.is_settled and interview.updated_by == caseworker
    with time_machine.travel(interview.due_by + timedelta(days=1)):
        assert not interview.is_overdue()
    entries = ModelLogEntry.objects.filter(action="homeward.return_home.recorded")
    assert entries.count() == 2 and entries.first().user == caseworker


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"held_at": "later"}, "offered_at", "Say when it was offered"),
        ({"offered_at": "later"}, "offered_by", "Say who offered it"),
        ({"offered_at": "future", "offered_by": "charity"}, "offered_at", "in the future"),
        ({"offered_at": "before", "offered_by": "charity"}, "offered_at", "before they were found"),
        (
            {
                "offered_at": "later",
                "held_at": "later",
                "offered_by": "charity",
                "not_held_reason": "declined",
            },
            "not_held_reason",
            "It was held",
        ),
    ],
)
def test_a_record_breaking_a_rule_is_refused_and_changes_nothing(
    interview, answers, field, message
):
    moments = {
        "later": interview.found_at + timedelta(hours=1),
        "future": timezone.now() + timedelta(days=1),
        "before": interview.found_at - timedelta(hours=1),
    }
    answers = {name: moments.get(value, value) for name, value in answers.items()}
    with pytest.raises(ValidationError) as refused:
        record(interview, **answers)
    assert message in " ".join(refused.value.message_dict[field])
    interview.refresh_from_db()
    assert interview.offered_at is None and interview.held_at is None


def test_not_held_settles_it_with_a_reason_and_no_words(interview):
    record(interview, not_held_reason="declined")
    interview.refresh_from_db()
    assert interview.is_settled and not interview.is_overdue(interview.due_by + timedelta(1))
    # Nothing of it is free text but the organisation's name.
    text_fields = {
        field.name
        for field in ReturnHomeInterview._meta.concrete_fields
        if field.get_internal_type() in ("CharField", "TextField") and not field.choices
    }
    assert text_fields == {"offered_by_name"}


# Who sees and records them


@pytest.mark.parametrize(("who", "allowed"), WHO_RECORDS_INTERVIEWS)
@time_machine.travel(timezone.now() + timedelta(days=1))
def test_only_caseworkers_see_and_record_interviews(client, interview, who, allowed):
    user = login_as(client, who)
    index = client.get(reverse("appeals_return_home:index"))
    edit_url = reverse("appeals_return_home:edit", args=[interview.pk])
    edit = client.get(edit_url)
    held = timezone.localtime(interview.found_at + timedelta(hours=2))
    posted = client.post(
        edit_url,
        {
            "offered_by": "charity",
            "offered_by_name": "Fictional Children's Charity",
            "offered_at": held.strftime("%Y-%m-%dT%H:%M"),
            "held_at": held.strftime("%Y-%m-%dT%H:%M"),
            "not_held_reason": "",
        },
    )
    interview.refresh_from_db()
    if allowed:
        assert index.status_code == 200 and "Homecoming Hollis" in index.content.decode()
        assert edit.status_code == 200
        assert posted.status_code == 302 and interview.held_at is not None
        # Opened again, the form shows what was recorded, so saving it keeps it.
        again = client.get(edit_url).content.decode()
        assert f'value="{held:%Y-%m-%dT%H:%M}"' in again
    else:
        assert index.status_code in (302, 403, 404)
        assert edit.status_code in (302, 403, 404)
        assert interview.held_at is None
        with pytest.raises(PermissionDenied):
            record(interview, user or staff_of(roles.EDITORS), not_held_reason="declined")


def test_the_caseworker_s_dashboard_shows_interviews_due_overdue_first(client, directory):
    first = factories.appeal_create(title="Overdue Ottilie", age_when_missing=13)
    factories.appeal_closed(first)
    with time_machine.travel(timezone.now() + timedelta(hours=80)):
        second = factories.appeal_create(title="Recent Rosalind", age_when_missing=15)
        factories.appeal_closed(second)
        login_as(client, roles.CASEWORKERS)
        dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Return home interviews due (72 hours)" in dashboard
    assert dashboard.index("Overdue Ottilie: overdue") < dashboard.index("Recent Rosalind: due")
    login_as(client, roles.PUBLISHERS)
    assert "Return home interviews" not in client.get(reverse("wagtailadmin_home")).content.decode()


@time_machine.travel(timezone.now() + timedelta(days=1))
def test_the_purge_leaves_the_interview_s_dates_and_nothing_personal(
    interview, found_child, settings, django_capture_on_commit_callbacks
):
    record(
        interview,
        offered_by="charity",
        offered_by_name="Fictional Children's Charity",
        offered_at=interview.found_at + timedelta(hours=3),
    )
    settings.APPEAL_RETENTION_DAYS = 0
    with django_capture_on_commit_callbacks(execute=True):
        assert appeals_retention_purge() == 1
    interview.refresh_from_db()
    assert interview.appeal.title == f"Closed appeal {found_child.pk}"
    assert interview.offered_at is not None and interview.due_by is not None
