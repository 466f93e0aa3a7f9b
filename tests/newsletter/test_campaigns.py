"""Campaigns over real SMTP: who gets what, once, and what the emails carry."""

import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from appeals.models import AppealPage
from homeward.claims import new_claim
from newsletter import ledger
from newsletter.models import Campaign, Delivery, Hero, NewsletterSettings
from newsletter.selectors import campaign_figures
from newsletter.services import (
    campaign_batch_send,
    campaign_regular_due,
    campaign_urgent_alert,
    campaigns_sweep,
    hero_unsubscribe,
)
from tests import factories
from tests.newsletter.conftest import hero_create

pytestmark = pytest.mark.django_db


def thursday_morning() -> datetime:
    """When the regular email is due by default: Thursday from 10:00, UK time."""
    today = timezone.localtime()
    thursday = today + timedelta(days=(3 - today.weekday()) % 7)
    return thursday.replace(hour=10, minute=30)


@pytest.fixture
def appeals(directory, forces):
    return [
        factories.appeal_create(parent=directory, police_force=forces[0], title="Alys Fictional"),
        factories.appeal_create(parent=directory, police_force=forces[1], title="Bryn Madeup"),
    ]


@pytest.fixture
def heroes(forces):
    return {
        "first": hero_create("first@example.org", areas=[forces[0]]),
        "second": hero_create("second@example.org", areas=[forces[1], forces[2]]),
        "everywhere": hero_create("everywhere@example.org", all_of_uk=True),
        "elsewhere": hero_create("elsewhere@example.org", areas=[forces[2]]),
        "pending": hero_create("pending@example.org", all_of_uk=True, status="pending"),
        "gone": hero_create("gone@example.org", all_of_uk=True, status="unsubscribed"),
    }


@pytest.fixture
def send_regular(django_capture_on_commit_callbacks, mailbox):
    def send(*, run_jobs=True) -> Campaign:
        with django_capture_on_commit_callbacks(execute=run_jobs):
            return campaign_regular_due(now=thursday_morning())

    return send


def test_the_regular_email_goes_once_to_each_hero_with_appeals_in_their_areas(
    appeals, heroes, mailbox, send_regular
):
    campaign = send_regular()

    for name in ("first", "second", "everywhere"):
        mailbox.only_one_to(heroes[name].email)
    for name in ("elsewhere", "pending", "gone"):
        assert mailbox.to(heroes[name].email) == []

    first = mailbox.only_one_to("first@example.org").text()
    assert "Alys Fictional" in first
    assert "Bryn Madeup" not in first
    everywhere = mailbox.only_one_to("everywhere@example.org").text()
    assert "Alys Fictional" in everywhere
    assert "Bryn Madeup" in everywhere
    assert "All of the UK" in everywhere

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DONE
    assert campaign_figures(campaign)["sent"] == 3


def test_a_replayed_schedule_or_batch_sends_nothing_twice(appeals, heroes, mailbox, send_regular):
    campaign = send_regular()
    assert len(mailbox.arrivals) == 3

    assert send_regular() is None  # this week's has gone
    assert campaign_batch_send(campaign_id=campaign.pk, batch=0) == 0
    assert len(mailbox.arrivals) == 3
    assert Campaign.objects.count() == 1


def test_every_campaign_email_has_one_click_unsubscribe_that_works(
    appeals, heroes, mailbox, send_regular, client
):
    send_regular()
    message = mailbox.only_one_to("first@example.org").message
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mailto, https = re.findall(r"<([^>]+)>", message["List-Unsubscribe"])
    assert mailto.startswith("mailto:unsubscribe@")
    assert "unsubscribe%20" in mailto

    # The mail provider POSTs the https URL with this body and no cookies.
    path = urlsplit(https).path
    response = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert Hero.objects.get(email="first@example.org").status == Hero.Status.UNSUBSCRIBED


def test_the_links_in_an_email_work_and_nothing_tracks_or_loads_from_elsewhere(
    appeals, heroes, mailbox, send_regular, client, settings
):
    send_regular()
    arrival = mailbox.only_one_to("second@example.org")
    html, text = arrival.html(), arrival.text()

    assert "fonts.googleapis" not in html
    assert "@import" not in html
    for source in re.findall(r'<img[^>]+src="([^"]+)"', html):
        assert source.startswith(f"{settings.BASE_URL}/media/images/")
    # Each appeal's photo links to the appeal, as its name and button do.
    photo_links = re.findall(r'<a href="([^"]+)"[^>]*>\s*<img', html)
    assert photo_links and len(photo_links) == html.count("<img")
    for appeal_link in photo_links:
        assert html.count(f'href="{appeal_link}"') == 3  # photo, name, button
    links = set(re.findall(r'href="([^"]+)"', html))
    for link in links:
        assert link.startswith(settings.BASE_URL), link
        response = client.get(urlsplit(link).path)
        assert response.status_code == 200, link

    manage = re.search(r"Change your areas or alerts: (\S+)", text).group(1)
    assert manage in links
    assert b"Your Hero emails" in client.get(urlsplit(manage).path).content
    # Nothing personal in the appeal links or images: only the Hero's own two links.
    token = urlsplit(manage).path.rstrip("/").rsplit("/", 1)[1]
    assert sum(token in link for link in links) == 2


def test_text_with_a_leading_dot_survives_smtp(appeals, heroes, mailbox, send_regular):
    policy = NewsletterSettings.load()
    policy.regular_intro = ".Starts with a dot.\n.\nAnd a lone dot line."
    policy.save()
    send_regular()
    assert ".Starts with a dot.\n.\nAnd a lone dot line." in (
        mailbox.only_one_to("first@example.org").text().replace("\r\n", "\n")
    )


def test_the_regular_email_asks_to_delete_old_shares_naming_no_one(
    appeals, heroes, mailbox, send_regular
):
    closed = factories.appeal_create(title="Cai Gone", police_force=appeals[0].police_force)
    AppealPage.objects.filter(pk=closed.pk).update(
        status=AppealPage.Status.FOUND, closed_at=timezone.now()
    )
    send_regular()
    text = mailbox.only_one_to("first@example.org").text()
    assert "please check and delete old posts" in text
    assert "Cai Gone" not in text


def test_someone_who_leaves_before_their_batch_is_not_sent_it(
    appeals, heroes, mailbox, send_regular
):
    campaign = send_regular(run_jobs=False)
    hero_unsubscribe(hero=heroes["first"])
    campaign_batch_send(campaign_id=campaign.pk, batch=0)
    assert mailbox.to("first@example.org") == []
    assert campaign_figures(campaign) | {} == {
        "queued": 0,
        "sending": 0,
        "uncertain": 0,
        "sent": 2,
        "failed": 0,
        "cancelled": 1,
    }


def test_refusals_by_the_server_are_recorded_and_temporary_ones_retried(
    appeals, heroes, mailbox, send_regular
):
    mailbox.refuse = {
        "first@example.org": "550 5.1.1 No such user",
        "second@example.org": "451 4.3.0 Try again later",
    }
    campaign = send_regular()
    deliveries = {d.hero.email: d for d in campaign.deliveries.select_related("hero")}
    assert deliveries["first@example.org"].status == Delivery.Status.FAILED
    assert "No such user" in deliveries["first@example.org"].error
    assert deliveries["second@example.org"].status == Delivery.Status.QUEUED
    assert deliveries["everywhere@example.org"].status == Delivery.Status.SENT

    mailbox.refuse = {}
    campaign_batch_send(campaign_id=campaign.pk, batch=0)
    mailbox.only_one_to("second@example.org")
    assert mailbox.to("first@example.org") == []


def test_a_temporary_refusal_after_the_final_dot_is_retried(appeals, heroes, mailbox, send_regular):
    mailbox.refuse_data = {"first@example.org": "451 4.3.0 Try again later"}
    campaign = send_regular()
    delivery = campaign.deliveries.get(hero=heroes["first"])
    assert delivery.status == Delivery.Status.QUEUED
    assert "Try again later" in delivery.error

    mailbox.refuse_data = {}
    campaign_batch_send(campaign_id=campaign.pk, batch=0)
    mailbox.only_one_to("first@example.org")


def test_a_dead_workers_batch_is_picked_up_again_and_sent_once(
    appeals, heroes, mailbox, send_regular, django_capture_on_commit_callbacks
):
    campaign = send_regular(run_jobs=False)
    # A worker claimed the batch, then died before sending anything.
    ledger.claim_batch(campaign_id=campaign.pk, batch=0, claim=new_claim())
    assert campaign_batch_send(campaign_id=campaign.pk, batch=0) == 0  # not ours: left alone

    with django_capture_on_commit_callbacks(execute=True):
        assert campaigns_sweep()["released"] == 0  # too soon to call it dead
    assert mailbox.arrivals == []

    later = timezone.now() + timedelta(minutes=20)
    with django_capture_on_commit_callbacks(execute=True):
        swept = campaigns_sweep(now=later)
    assert swept["released"] == 3
    assert swept["batches_requeued"] == 1
    for name in ("first", "second", "everywhere"):
        mailbox.only_one_to(heroes[name].email)


def test_an_urgent_alert_goes_to_heroes_of_the_area_who_asked_once(
    directory, forces, mailbox, django_capture_on_commit_callbacks
):
    asked = hero_create("asked@example.org", areas=[forces[0]], urgent_alerts=True)
    hero_create("no-alerts@example.org", areas=[forces[0]])
    hero_create("far@example.org", areas=[forces[1]], urgent_alerts=True)
    everywhere = hero_create("all@example.org", all_of_uk=True, urgent_alerts=True)

    with django_capture_on_commit_callbacks(execute=True):
        appeal = factories.appeal_create(
            parent=directory, police_force=forces[0], risk_level="high", title="Dee Invented"
        )
    assert {a.recipients[0] for a in mailbox.arrivals} == {asked.email, everywhere.email}
    alert = mailbox.only_one_to(asked.email)
    assert alert.message["Subject"] == "Urgent: please help find Dee Invented"
    assert "Dee Invented" in alert.text()

    with django_capture_on_commit_callbacks(execute=True):
        assert campaign_urgent_alert(appeal=appeal) is None  # re-published: not again
    assert len(mailbox.arrivals) == 2


def test_no_urgent_alert_for_an_appeal_that_is_not_high_risk_or_not_public(
    directory, forces, mailbox, django_capture_on_commit_callbacks
):
    hero_create("asked@example.org", areas=[forces[0]], urgent_alerts=True)
    with django_capture_on_commit_callbacks(execute=True):
        factories.appeal_create(parent=directory, police_force=forces[0], risk_level="medium")
        draft = factories.appeal_create(
            parent=directory, police_force=forces[0], risk_level="high", publish=False
        )
        assert campaign_urgent_alert(appeal=draft) is None
    assert mailbox.arrivals == []
    assert not Campaign.objects.exists()


def test_the_admin_preview_shows_each_email(appeals, client, forces):
    admin = factories.user_create(is_superuser=True, is_staff=True)
    client.force_login(admin)
    for kind in ("regular", "urgent", "briefing", "confirmation", "already-subscribed"):
        response = client.get(reverse("newsletter_preview", args=[kind]))
        assert response.status_code == 200, kind
        assert b"<html" in response.content
        assert b"@@" not in response.content  # every placeholder filled with an example
