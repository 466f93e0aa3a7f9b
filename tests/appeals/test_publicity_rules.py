"""Every rule of the publicity safety check holds in the service and the database, not
only in the checklist form: a check that breaks one is refused and nothing is saved."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from appeals import services
from appeals.models import AppealPage, PoliceAuthorisation, PublicityCheck, PublicityDecision
from homeward import roles
from homeward.models import PoliceForce
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
CHILD = {}
ADULT = {"age_when_missing": 40}
IN_CARE = {"in_care": True}
TRAFFICKED = {"trafficked": True}


def complete(appeal: AppealPage, **overrides) -> PublicityCheck:
    """The safeguarding lead's check, straight through the service (no form)."""
    task_state = factories.workflow_start(appeal)
    content = appeal.get_latest_revision_as_object()
    return services.publicity_check_complete(
        task_state=task_state,
        user=factories.staff(roles.SAFEGUARDING_LEADS),
        revision_id=appeal.get_latest_revision().pk,
        answers=factories.check_answers(content, **overrides),
    )


def other_force() -> PoliceForce:
    return PoliceForce.objects.get(slug="kent-police")


RULES = [
    # Police authorisation
    pytest.param(
        CHILD,
        {"authorised_on": TODAY + timedelta(days=1)},
        "authorised_on",
        id="authorised in the future",
    ),
    pytest.param(
        CHILD, {"authorising_force": other_force}, "authorising_force", id="another force"
    ),
    pytest.param(
        CHILD,
        {"authorising_case_reference": "XX-0000"},
        "authorising_case_reference",
        id="another case",
    ),
    pytest.param(CHILD, {"authorising_officer": ""}, "authorising_officer", id="no officer"),
    # Consent
    pytest.param(CHILD, {"consent_given_by": ""}, "consent_given_by", id="parent unnamed"),
    pytest.param(
        CHILD,
        {"consent_from": "adult", "adults_wishes": "x"},
        "consent_from",
        id="child's consent as an adult's",
    ),
    pytest.param(
        ADULT,
        {"consent_from": "parent-guardian", "consent_given_by": "x"},
        "consent_from",
        id="adult's consent from a parent",
    ),
    pytest.param(
        IN_CARE,
        {"consent_from": "parent-guardian", "consent_given_by": "x"},
        "consent_from",
        id="child in care's consent from a parent",
    ),
    pytest.param(
        IN_CARE, {"consent_given_by": ""}, "consent_given_by", id="local authority unnamed"
    ),
    pytest.param(IN_CARE, {"social_worker": ""}, "social_worker", id="no social worker"),
    pytest.param(ADULT, {"adults_wishes": ""}, "adults_wishes", id="adult's wishes unrecorded"),
    pytest.param(
        CHILD, {"consent": "refused"}, "consent_refusal_reason", id="refusal without reason"
    ),
    # The risk of publicity itself
    pytest.param(
        CHILD,
        {"risk_of_locating": "mitigated"},
        "risk_of_locating_notes",
        id="locating risk unexplained",
    ),
    pytest.param(
        CHILD,
        {"risk_of_displacement": "yes", "decision": "none", "decision_reason": "x"},
        "risk_of_displacement_notes",
        id="displacement risk unexplained",
    ),
    pytest.param(
        CHILD,
        {"risk_of_locating": "yes", "risk_of_locating_notes": "x"},
        "decision",
        id="public while it helps locate them",
    ),
    pytest.param(
        CHILD,
        {"risk_of_displacement": "yes", "risk_of_displacement_notes": "x"},
        "decision",
        id="public while it displaces them",
    ),
    pytest.param(TRAFFICKED, {"nrm_status": ""}, "nrm_status", id="trafficked without NRM status"),
    # Content review, for a public appeal and a restricted briefing alike
    pytest.param(
        CHILD,
        {"no_immigration_status": False},
        "no_immigration_status",
        id="immigration status unchecked",
    ),
    pytest.param(
        CHILD,
        {"no_placement_or_address": False},
        "no_placement_or_address",
        id="placement unchecked",
    ),
    pytest.param(
        CHILD, {"no_school_or_uniform": False}, "no_school_or_uniform", id="school unchecked"
    ),
    pytest.param(CHILD, {"suitable_photo": False}, "suitable_photo", id="photo review unticked"),
    pytest.param(CHILD, {"suitable_wording": False}, "suitable_wording", id="wording unchecked"),
    pytest.param(
        CHILD,
        {"decision": "restricted", "decision_reason": "x", "suitable_photo": False},
        "suitable_photo",
        id="restricted, photo unchecked",
    ),
    # Decision
    pytest.param(
        CHILD,
        {"decision": "restricted", "decision_reason": ""},
        "decision_reason",
        id="restricted without reasons",
    ),
    pytest.param(
        CHILD,
        {"decision": "none", "decision_reason": ""},
        "decision_reason",
        id="no publicity without reasons",
    ),
    pytest.param(CHILD, {"review_days": 0}, "review_date", id="review today"),
    pytest.param(CHILD, {"review_days": -1}, "review_date", id="review in the past"),
    pytest.param(ADULT, {"review_days": 29}, "review_date", id="review too late"),
    pytest.param(
        TRAFFICKED, {"review_days": 8}, "review_date", id="trafficked child's review too late"
    ),
    # Length limits the form's fields had
    pytest.param(
        CHILD,
        {"risk_of_locating": "mitigated", "risk_of_locating_notes": "x" * 2001},
        "risk_of_locating_notes",
        id="notes too long",
    ),
]


@pytest.mark.parametrize(("appeal_fields", "overrides", "field"), RULES)
def test_a_check_breaking_a_rule_is_refused_and_saves_nothing(
    directory, appeal_fields, overrides, field
):
    appeal = factories.appeal_create(publish=False, **appeal_fields)
    overrides = {name: value() if callable(value) else value for name, value in overrides.items()}
    with pytest.raises(ValidationError) as refused:
        complete(appeal, **overrides)
    assert field in refused.value.message_dict, refused.value.message_dict
    assert not PublicityCheck.objects.exists()
    task_state = AppealPage.objects.get(pk=appeal.pk).current_workflow_task_state
    assert task_state.status == task_state.STATUS_IN_PROGRESS
    assert str(task_state.task) == "Publicity safety check"


@pytest.mark.parametrize(
    ("appeal_fields", "overrides"),
    [
        (CHILD, {}),
        (ADULT, {"no_school_or_uniform": False}),
        (IN_CARE, {}),
        (TRAFFICKED, {}),
        (CHILD, {"decision": "none", "decision_reason": "x", "suitable_photo": False}),
        (CHILD, {"risk_of_locating": "mitigated", "risk_of_locating_notes": "Area removed"}),
    ],
)
def test_a_check_that_keeps_every_rule_is_saved(directory, appeal_fields, overrides):
    appeal = factories.appeal_create(publish=False, **appeal_fields)
    assert complete(appeal, **overrides).pk


def test_a_check_must_copy_the_authorisation_it_names(directory):
    appeal = factories.appeal_create(publish=False)
    other = factories.appeal_create(publish=False)
    authorisation = PoliceAuthorisation.objects.create(
        appeal=other,
        force=other.police_force,
        officer_name="PC Jo Fictional",
        case_reference=other.case_reference,
        authorised_on=TODAY,
    )
    with pytest.raises(ValidationError) as refused:
        complete(appeal, police_authorisation=authorisation)
    assert "police_authorisation" in refused.value.message_dict
    assert not PublicityCheck.objects.exists()


# The database holds the rules that need nothing but the check's own row.
BROKEN_ROWS = [
    pytest.param(
        {"risk_of_locating": "yes", "risk_of_locating_notes": "x"},
        id="public while it helps locate them",
    ),
    pytest.param(
        {"risk_of_displacement": "yes", "risk_of_displacement_notes": "x"},
        id="public while it displaces them",
    ),
    pytest.param(
        {"risk_of_locating": "mitigated", "risk_of_locating_notes": ""},
        id="locating risk unexplained",
    ),
    pytest.param({"risk_of_displacement": "mitigated"}, id="displacement risk unexplained"),
    pytest.param({"suitable_photo": False}, id="photo review unticked"),
    pytest.param({"no_immigration_status": False}, id="immigration status unchecked"),
    pytest.param({"no_placement_or_address": False}, id="placement unchecked"),
    pytest.param({"suitable_wording": False}, id="wording unchecked"),
    pytest.param({"no_school_or_uniform": False}, id="school unchecked"),
    pytest.param({"decision": PublicityDecision.RESTRICTED}, id="restricted without reasons"),
    pytest.param({"consent": "refused"}, id="refusal without reason"),
    pytest.param({"consent_given_by": ""}, id="parent unnamed"),
    pytest.param({"consent_from": "local-authority", "social_worker": ""}, id="no social worker"),
    pytest.param({"consent_from": "adult", "adults_wishes": ""}, id="adult's wishes unrecorded"),
]


@pytest.mark.parametrize("change", BROKEN_ROWS)
def test_the_database_refuses_a_check_breaking_a_rule(directory, change):
    appeal = factories.appeal_create(publish=False)
    check = complete(appeal)
    with pytest.raises(IntegrityError), transaction.atomic():
        PublicityCheck.objects.filter(pk=check.pk).update(**change)


# Police authorisation, given in Homeward


def test_an_authorisation_dated_in_the_future_is_refused(directory):
    appeal = factories.appeal_create(publish=False)
    officer = factories.user_create(role=roles.POLICE_OFFICERS, force_slug="north-yorkshire-police")
    with pytest.raises(ValidationError) as refused:
        services.police_authorisation_give(
            appeal=appeal,
            user=officer,
            officer_name="PC Jo Fictional",
            authorised_on=TODAY + timedelta(days=1),
        )
    assert "authorised_on" in refused.value.message_dict
    assert not PoliceAuthorisation.objects.exists()


def test_an_authorisation_needs_the_officers_name(directory):
    appeal = factories.appeal_create(publish=False)
    officer = factories.user_create(role=roles.POLICE_OFFICERS, force_slug="north-yorkshire-police")
    with pytest.raises(ValidationError) as refused:
        services.police_authorisation_give(
            appeal=appeal, user=officer, officer_name=" ", authorised_on=TODAY
        )
    assert "officer_name" in refused.value.message_dict
    assert not PoliceAuthorisation.objects.exists()
