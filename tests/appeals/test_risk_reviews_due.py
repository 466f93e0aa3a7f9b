"""Risk that never fades: a high-risk case asks its force for a review each time one falls
due, on the officers' dashboard, in their list of reviews, and once in the duty inbox."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from appeals import jobs as appeal_jobs
from appeals.models import RiskAssessment, RiskReviewRequest
from appeals.risk_selectors import risk_reviews_due
from appeals.services.risk import REQUEST_LEASE, risk_review_requests_send
from homeward import roles
from homeward.models import PoliceForce
from tests import factories
from tests.appeals.test_risk_reviews import (
    FORCE,
    HIGH,
    MEDIUM,
    OTHER_FORCE,
    assessed_hours_ago,
    officer,
    review,
)

pytestmark = pytest.mark.django_db

DUTY = "duty@nyp.police.invalid"


# Reviews due


def test_a_high_risk_review_falls_due_after_the_interval(directory, settings):
    settings.RISK_REVIEW_INTERVAL_HOURS = 24
    appeal = factories.appeal_create(risk_level=HIGH)
    factories.appeal_create(risk_level=MEDIUM)  # not high risk: no regular review
    since = RiskAssessment.objects.get(appeal=appeal).assessed_at
    assert list(risk_reviews_due(now=since + timedelta(hours=23))) == []
    due = risk_reviews_due(now=since + timedelta(hours=25))
    assert [(a.pk, a.review_due_at) for a in due] == [(appeal.pk, since + timedelta(hours=24))]
    # A review starts the next period.
    assessed_hours_ago(appeal, 25)
    assert [a.pk for a in risk_reviews_due(now=timezone.now())] == [appeal.pk]
    latest = review(appeal, HIGH).assessed_at
    assert list(risk_reviews_due(now=latest + timedelta(hours=23))) == []
    assert [a.pk for a in risk_reviews_due(now=latest + timedelta(hours=24))] == [appeal.pk]


def test_an_unpublished_high_risk_appeal_is_due_from_its_creation(directory):
    draft = factories.appeal_create(publish=False, risk_level=HIGH)
    later = timezone.now() + timedelta(hours=25)
    assert [a.pk for a in risk_reviews_due(now=later)] == [draft.pk]
    assert (
        list(risk_reviews_due(now=later, force_id=PoliceForce.objects.get(slug=OTHER_FORCE).pk))
        == []
    )


def test_closed_appeals_are_never_due(directory, django_capture_on_commit_callbacks):
    appeal = factories.appeal_create(risk_level=HIGH)
    factories.appeal_found(appeal, capture=django_capture_on_commit_callbacks)
    assert list(risk_reviews_due(now=timezone.now() + timedelta(days=3))) == []


def next_steps(client) -> str:
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    match = re.search(r'id="appeals-next-steps-section".*?</section>', home, re.S)
    return match.group(0) if match else ""


def test_the_dashboard_shows_reviews_due_to_the_owning_force_only(client, directory):
    kent = PoliceForce.objects.get(slug=OTHER_FORCE)
    overdue = factories.appeal_create(risk_level=HIGH, title="Overdue Olwen")
    soon = factories.appeal_create(risk_level=HIGH, title="Soon Sorcha")
    factories.appeal_create(risk_level=HIGH, title="Recent Rhian")
    kentish = factories.appeal_create(risk_level=HIGH, title="Kentish Kit", police_force=kent)
    for appeal, hours in ((overdue, 30), (soon, 23), (kentish, 30)):
        assessed_hours_ago(appeal, hours)

    client.force_login(officer(FORCE))
    panel = next_steps(client)
    assert "Risk reviews due (2)" in panel
    assert "Overdue Olwen: overdue since" in panel
    assert "Soon Sorcha: due by" in panel
    assert panel.index("Overdue Olwen") < panel.index("Soon Sorcha")
    assert "Recent Rhian" not in panel and "Kentish Kit" not in panel
    review_url = reverse("appeals_risk_review", args=[overdue.pk])
    assert f'href="{review_url}"' in panel
    assert client.get(review_url).status_code == 200

    client.force_login(officer(OTHER_FORCE))
    panel = next_steps(client)
    assert "Kentish Kit: overdue since" in panel and "Overdue Olwen" not in panel
    for role in (roles.EDITORS, roles.PUBLISHERS, roles.CASEWORKERS):
        client.force_login(factories.user_create(role=role))
        assert "Risk reviews due" not in next_steps(client), role


def test_officers_list_their_forces_appeals_with_when_each_review_is_due(client, directory):
    overdue = factories.appeal_create(risk_level=HIGH, title="Overdue Olwen")
    medium = factories.appeal_create(risk_level=MEDIUM, title="Middling Mair")
    kent = PoliceForce.objects.get(slug=OTHER_FORCE)
    factories.appeal_create(risk_level=HIGH, title="Kentish Kit", police_force=kent)
    assessed_hours_ago(overdue, 30)
    url = reverse("appeals_risk_reviews")

    client.force_login(officer(FORCE))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert f'href="{url}"' in home  # the menu
    page = client.get(url).content.decode()
    assert "<strong>Overdue</strong> since" in page
    assert "When you judge it needs one" in page  # not high risk: no regular review
    assert page.index("Overdue Olwen") < page.index("Middling Mair")
    assert reverse("appeals_risk_review", args=[medium.pk]) in page
    assert "Kentish Kit" not in page

    client.force_login(factories.user_create(role=roles.PUBLISHERS))
    assert f'href="{url}"' not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Sorry, you do not have permission" in client.get(url, follow=True).content.decode()


# Emails to the duty inbox


@pytest.fixture
def due_appeal(directory):
    PoliceForce.objects.filter(slug=FORCE).update(duty_email=DUTY)
    appeal = factories.appeal_create(risk_level=HIGH, title="Duebright Testperson")
    review(appeal, HIGH, "Fictional: last seen near the Quillwater estate.")
    assessed_hours_ago(appeal, 25)
    mail.outbox.clear()
    return appeal


def test_the_duty_inbox_is_asked_once_even_when_the_job_runs_twice(due_appeal):
    assert appeal_jobs.risk_review_requests_send() == 1
    assert appeal_jobs.risk_review_requests_send() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [DUTY]
    assert message.subject == "Risk review due: Duebright Testperson"
    review_url = reverse("appeals_risk_review", args=[due_appeal.pk])
    assert review_url in message.body
    assert "Quillwater" not in message.body  # the reason stays in Homeward


def test_each_due_period_is_asked_for_once(due_appeal):
    assert risk_review_requests_send() == 1
    review(due_appeal, HIGH)
    assert risk_review_requests_send() == 0  # just reviewed
    later = timezone.now() + timedelta(hours=25)
    assert risk_review_requests_send(now=later) == 1
    assert risk_review_requests_send(now=later) == 0
    assert len(mail.outbox) == 2


def test_a_request_whose_run_died_is_sent_once_its_claim_lapses(due_appeal):
    now = timezone.now()
    since = risk_reviews_due(now=now).get().review_due_since
    # A run claimed it, then its worker died before the email went.
    RiskReviewRequest.objects.create(appeal=due_appeal, due_since=since, claimed_at=now)
    assert risk_review_requests_send(now=now + timedelta(minutes=1)) == 0
    assert risk_review_requests_send(now=now + REQUEST_LEASE + timedelta(minutes=1)) == 1
    assert len(mail.outbox) == 1


def test_a_request_that_could_not_be_sent_is_tried_again(due_appeal, monkeypatch):
    def refused(**kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("appeals.services.risk.send_mail", refused)
    assert risk_review_requests_send() == 0
    monkeypatch.undo()
    assert risk_review_requests_send() == 1
    assert len(mail.outbox) == 1


def test_a_force_without_a_duty_inbox_is_not_emailed(due_appeal):
    PoliceForce.objects.filter(slug=FORCE).update(duty_email="")
    assert risk_review_requests_send() == 0
    assert mail.outbox == []
