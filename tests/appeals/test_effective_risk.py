"""Trafficked and unaccompanied children are high risk to everyone, whatever the police
level recorded: alerts, the triage queue and the review period all treat them so."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from appeals.models import AppealPage, PublicitySettings
from appeals.models.publicity import review_days_for
from homeward import roles
from homeward.models import PoliceForce
from newsletter.models import Campaign
from newsletter.services import campaign_urgent_alert
from sightings import priority
from sightings.services.intake import sighting_alert_send
from tests import factories

pytestmark = pytest.mark.django_db

HIGH, MEDIUM, LOW = (
    AppealPage.RiskLevel.HIGH,
    AppealPage.RiskLevel.MEDIUM,
    AppealPage.RiskLevel.LOW,
)
REASON = "Fictional reason: the officer judged the risk low on the evidence so far."
FLAGS = ["trafficked", "unaccompanied_asylum_seeking"]


def fresh(appeal: AppealPage) -> AppealPage:
    return AppealPage.objects.get(pk=appeal.pk)


def flagged_child(flag="trafficked", **fields) -> AppealPage:
    """A flagged child the police recorded as low risk (with their reason), live."""
    return factories.appeal_create(
        **{flag: True, "police_risk_level": LOW, "police_risk_reason": REASON, **fields}
    )


@pytest.mark.parametrize("flag", FLAGS)
@pytest.mark.parametrize("police_level", [LOW, MEDIUM, AppealPage.RiskLevel.NO_APPARENT_RISK])
def test_a_flagged_child_is_high_risk_whatever_the_police_level(directory, flag, police_level):
    appeal = fresh(flagged_child(flag, police_risk_level=police_level, publish=False))
    assert appeal.risk_level == HIGH
    assert appeal.police_risk_level == police_level  # what the police said is kept
    assert appeal.get_latest_revision_as_object().risk_level == HIGH


@pytest.mark.parametrize(
    "fields",
    [{}, {"age_when_missing": 30, "trafficked": True}, {"in_care": True}],
    ids=["child", "trafficked adult", "child in care"],
)
def test_otherwise_the_effective_risk_is_the_police_level(directory, fields):
    appeal = factories.appeal_create(publish=False, police_risk_level=LOW, **fields)
    assert fresh(appeal).risk_level == LOW


# The lower police level needs a written reason


def test_a_lower_police_level_for_a_flagged_child_needs_a_reason(directory):
    appeal = factories.appeal_build(trafficked=True, police_risk_level=LOW)
    with pytest.raises(ValidationError) as refused:
        appeal.full_clean(exclude=["path", "depth"])
    assert "police_risk_reason" in refused.value.message_dict
    appeal.police_risk_reason = "   "
    with pytest.raises(ValidationError):
        appeal.full_clean(exclude=["path", "depth"])
    appeal.police_risk_level = HIGH
    appeal.full_clean(exclude=["path", "depth"])  # high needs no reason


def post_new_appeal(client, directory, **overrides):
    url = reverse("wagtailadmin_pages:add", args=("appeals", "appealpage", directory.pk))
    return client.post(url, {**factories.new_appeal_form_data(**overrides), "action-submit": "1"})


def test_the_edit_form_asks_for_the_reason(client, directory):
    client.force_login(factories.user_create(role=roles.PUBLISHERS))
    response = post_new_appeal(
        client, directory, police_risk_level="low", unaccompanied_asylum_seeking="on"
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Say why" in str(errors["police_risk_reason"]), errors
    assert not AppealPage.objects.filter(slug="valentina-wychwood").exists()

    response = post_new_appeal(
        client,
        directory,
        police_risk_level="low",
        unaccompanied_asylum_seeking="on",
        police_risk_reason=REASON,
    )
    assert response.status_code == 302
    appeal = AppealPage.objects.get(slug="valentina-wychwood")
    assert (appeal.police_risk_level, appeal.risk_level) == (LOW, HIGH)
    assert appeal.get_latest_revision_as_object().risk_level == HIGH


def test_the_effective_risk_is_not_a_field_anyone_edits(client, directory):
    client.force_login(factories.user_create(role=roles.PUBLISHERS))
    post_new_appeal(client, directory, police_risk_level="medium", risk_level="high")
    assert AppealPage.objects.get(slug="valentina-wychwood").risk_level == MEDIUM


# Code that skips full_clean() cannot make the effective risk low


def test_saving_from_code_still_derives_the_effective_risk(directory):
    appeal = fresh(flagged_child(publish=False))
    appeal.risk_level = LOW
    appeal.save()
    assert fresh(appeal).risk_level == HIGH


def test_the_database_refuses_a_low_effective_risk_for_a_flagged_child(directory):
    appeal = flagged_child(publish=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        AppealPage.objects.filter(pk=appeal.pk).update(risk_level=LOW)


def test_the_database_refuses_a_lower_police_level_without_a_reason(directory):
    appeal = flagged_child(publish=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        AppealPage.objects.filter(pk=appeal.pk).update(police_risk_reason="")
    appeal = fresh(appeal)
    appeal.police_risk_reason = ""
    with pytest.raises(IntegrityError), transaction.atomic():
        appeal.save()


def test_the_effective_risk_is_always_a_known_level(directory):
    # A police review may bring it below the referral level (test_risk_reviews), so the
    # row only refuses what is no level at all.
    appeal = factories.appeal_create(publish=False, police_risk_level=HIGH)
    with pytest.raises(IntegrityError), transaction.atomic():
        AppealPage.objects.filter(pk=appeal.pk).update(risk_level="")
    with pytest.raises(IntegrityError), transaction.atomic():
        AppealPage.objects.filter(pk=appeal.pk).update(risk_level="negligible")


# Everyone who reads the risk treats them as high risk


def test_sightings_alert_the_force_at_once(directory):
    appeal = flagged_child()
    PoliceForce.objects.filter(pk=appeal.police_force_id).update(
        duty_email="duty@nyp.police.invalid"
    )
    sighting = factories.sighting_create(fresh(appeal))
    mail.outbox.clear()
    assert sighting_alert_send(sighting_id=sighting.pk)
    assert [message.to for message in mail.outbox] == [["duty@nyp.police.invalid"]]
    assert mail.outbox[0].subject.startswith("High-risk sighting")


def test_the_triage_queue_ranks_their_sightings_as_high_risk(directory):
    sighting = factories.sighting_create(fresh(flagged_child()))
    assert sighting.priority_points == priority.RISK_POINTS[HIGH]


def test_urgent_alerts_go_to_heroes(directory):
    assert campaign_urgent_alert(appeal=fresh(flagged_child())) is not None


def test_the_clearance_has_the_shortest_review_period(directory):
    policy = PublicitySettings.load()
    appeal = fresh(flagged_child(publish=False))
    assert review_days_for(appeal, policy) == policy.high_risk_review_days


# Retention


def test_the_reason_goes_when_the_flags_do(directory):
    appeal = fresh(flagged_child(publish=False))
    appeal.trafficked = False
    appeal.save()
    assert fresh(appeal).police_risk_reason == ""
    assert fresh(appeal).risk_level == LOW


def test_going_live_sends_the_urgent_alert(directory, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        appeal = flagged_child()
    assert Campaign.objects.filter(appeal=appeal, kind=Campaign.Kind.URGENT).exists()
