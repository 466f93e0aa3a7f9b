"""What a crash at each moment of sending leaves behind, and what the sweep makes of it.

A message is "uncertain" from its hand-over to the mail server (all of it but the final
".") until the server's reply. Killed in between, a regular email is never sent again
(once at most) and an urgent alert or briefing is (at least once): docs/DELIVERY.md. A
live batch heartbeats its claim; a claim with no heartbeat for 40 seconds is released
and its batch queued again at once, and whoever held it can no longer send its rows.
"""

import re
import smtplib
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from homeward.claims import new_claim
from newsletter import ledger
from newsletter.models import Campaign, Delivery, Partner
from newsletter.selectors import campaign_figures
from newsletter.services import (
    campaign_batch_send,
    campaign_regular_due,
    campaigns_sweep,
)
from newsletter.services import campaigns as campaign_services
from newsletter.services import sending as sending_services
from newsletter.services.sending import campaign_finish_if_done
from tests import factories
from tests.mail import Mailbox, smtp_server
from tests.newsletter.conftest import hero_create
from tests.newsletter.test_campaigns import thursday_morning

pytestmark = pytest.mark.django_db
HEROES = ["first@example.org", "second@example.org", "third@example.org"]


class CrashingMailbox(Mailbox):
    """A mail server that can take a message and drop the connection before it says so,
    counts the recipients it is offered, and calls ``on_recipient`` for each."""

    def __init__(self) -> None:
        super().__init__()
        self.drop_after_dot: set[str] = set()
        self.envelopes = 0
        self.on_recipient = lambda: None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.envelopes += 1
        self.on_recipient()
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        if self.drop_after_dot & set(envelope.rcpt_tos):
            # Delivered, as far as the server goes; the sender never hears it.
            server.transport.abort()
        return reply


@pytest.fixture
def mailbox(settings):
    with smtp_server(CrashingMailbox(), settings) as box:
        yield box


@pytest.fixture
def heroes(forces):
    return [hero_create(email, areas=[forces[0]], urgent_alerts=True) for email in HEROES]


@pytest.fixture
def regular(directory, forces, heroes, django_capture_on_commit_callbacks):
    """This week's regular email to HEROES, its batch not yet run."""
    factories.appeal_create(parent=directory, police_force=forces[0], title="Gwen Pretend")
    with django_capture_on_commit_callbacks(execute=False):
        return campaign_regular_due(now=thursday_morning())


def sweep(django_capture_on_commit_callbacks, *, after: timedelta) -> dict[str, int]:
    """The every-minute sweep, ``after`` from now, running what it queues."""
    with django_capture_on_commit_callbacks(execute=True):
        return campaigns_sweep(now=timezone.now() + after)


def statuses(campaign: Campaign) -> dict[str, str]:
    return dict(campaign.deliveries.values_list("hero__email", "status"))


# A message in doubt


def test_a_regular_email_in_doubt_stays_uncertain_and_is_never_sent_again(
    regular, mailbox, django_capture_on_commit_callbacks
):
    mailbox.drop_after_dot = {"second@example.org"}
    with pytest.raises(smtplib.SMTPServerDisconnected):  # the batch's job fails
        campaign_batch_send(campaign_id=regular.pk, batch=0)
    assert statuses(regular)["second@example.org"] == Delivery.Status.UNCERTAIN
    mailbox.drop_after_dot = set()

    # Long enough for the claim to be stale and the campaign stalled: both are picked up.
    sweep(django_capture_on_commit_callbacks, after=timedelta(minutes=6))
    sweep(django_capture_on_commit_callbacks, after=timedelta(minutes=12))

    for email in HEROES:
        mailbox.only_one_to(email)  # the one in doubt had in fact arrived: not again
    assert statuses(regular) == {
        "first@example.org": Delivery.Status.SENT,
        "second@example.org": Delivery.Status.UNCERTAIN,
        "third@example.org": Delivery.Status.SENT,
    }
    regular.refresh_from_db()
    assert regular.status == Campaign.Status.DONE  # nothing more will be sent


def test_an_urgent_alert_in_doubt_is_sent_again_once(
    directory, forces, heroes, mailbox, django_capture_on_commit_callbacks
):
    mailbox.drop_after_dot = {"second@example.org"}
    with django_capture_on_commit_callbacks(execute=True):
        factories.appeal_create(
            parent=directory, police_force=forces[0], risk_level="high", title="Huw Invented"
        )
    alert = Campaign.objects.get(kind=Campaign.Kind.URGENT)
    assert statuses(alert)["second@example.org"] == Delivery.Status.UNCERTAIN
    mailbox.drop_after_dot = set()

    # Until its claim is stale, the sending may still hear back: nothing is sent again.
    assert sweep(django_capture_on_commit_callbacks, after=timedelta(seconds=30))["released"] == 0
    assert len(mailbox.to("second@example.org")) == 1
    alert.refresh_from_db()
    assert alert.status == Campaign.Status.SENDING  # not done while a message is in doubt

    swept = sweep(django_capture_on_commit_callbacks, after=timedelta(seconds=41))
    assert swept["released"] == 1
    assert swept["batches_requeued"] == 1
    sweep(django_capture_on_commit_callbacks, after=timedelta(minutes=10))

    assert len(mailbox.to("second@example.org")) == 2  # twice rather than never
    mailbox.only_one_to("first@example.org")
    mailbox.only_one_to("third@example.org")
    assert set(statuses(alert).values()) == {Delivery.Status.SENT}
    alert.refresh_from_db()
    assert alert.status == Campaign.Status.DONE


@pytest.mark.parametrize(
    ("kind", "campaign_status", "sent_again"),
    [
        (Campaign.Kind.REGULAR, Campaign.Status.SENDING, False),
        (Campaign.Kind.URGENT, Campaign.Status.SENDING, True),
        (Campaign.Kind.BRIEFING, Campaign.Status.SENDING, True),
        # A cancelled alert (its appeal was taken down) is never sent again.
        (Campaign.Kind.URGENT, Campaign.Status.CANCELLED, False),
        (Delivery.Kind.CONFIRMATION, None, False),
        (Delivery.Kind.ALREADY_SUBSCRIBED, None, False),
    ],
)
def test_a_message_in_doubt_whose_worker_died_follows_its_kind(
    kind, campaign_status, sent_again, forces
):
    hero = hero_create("doubt@example.org", areas=[forces[0]])
    campaign = None
    if campaign_status is None:
        row = {"kind": kind, "hero": hero}
    else:
        campaign = Campaign.objects.create(
            kind=kind,
            status=campaign_status,
            subject="Subject",
            content={},
            html_template="",
            text_template="",
        )
        row = {"campaign": campaign, "hero": hero}
        if kind == Campaign.Kind.BRIEFING:
            row["hero"] = None
            row["partner"] = Partner.objects.create(
                organisation="Safe Harbour", email="duty@harbour.example", vetted_on=date.today()
            )
    doubt = Delivery.objects.create(
        **row,
        batch=4,
        status=Delivery.Status.UNCERTAIN,
        claim=7,
        claimed_at=timezone.now() - timedelta(seconds=41),
    )
    if campaign_status == Campaign.Status.SENDING:
        # Done once nothing more will be sent: the regular email at once, an alert not yet.
        assert campaign_finish_if_done(campaign_id=campaign.pk) is not sent_again

    released = ledger.release_stale(claimed_before=timezone.now() - timedelta(seconds=40))

    doubt.refresh_from_db()
    if sent_again:
        assert released == [(doubt.pk, campaign.pk, 4)]
        assert (doubt.status, doubt.claim) == (Delivery.Status.QUEUED, None)
    else:
        assert released == []
        assert (doubt.status, doubt.claim) == (Delivery.Status.UNCERTAIN, 7)


def test_the_figures_show_messages_in_doubt(regular, client):
    rows = list(regular.deliveries.order_by("pk"))
    Delivery.objects.filter(pk=rows[0].pk).update(status=Delivery.Status.UNCERTAIN)
    Delivery.objects.filter(pk=rows[1].pk).update(status=Delivery.Status.SENT)
    assert campaign_figures(regular) == {
        "queued": 1,
        "sending": 0,
        "uncertain": 1,
        "sent": 1,
        "failed": 0,
        "cancelled": 0,
    }

    client.force_login(factories.user_create(is_superuser=True, is_staff=True))
    html = client.get(reverse("heroes_campaigns:index")).content.decode()
    headers = re.findall(r"<th[^>]*>\s*(\w+)", html)
    cells = re.findall(r"<td[^>]*>\s*(\d+)\s*</td>", html)
    assert "Queued Sending Uncertain Sent Failed Cancelled" in " ".join(headers)
    assert cells == ["1", "0", "1", "1", "0", "0"]


# Claims: heartbeats, stale claims and the sweep


def test_a_dead_workers_batch_is_queued_again_40_seconds_after_its_last_heartbeat(
    regular, heroes, mailbox, django_capture_on_commit_callbacks
):
    # A worker claimed the batch, then died before sending anything.
    ledger.claim_batch(campaign_id=regular.pk, batch=0, claim=new_claim())
    enqueued_at = Campaign.objects.get(pk=regular.pk).batches_enqueued_at

    swept = sweep(django_capture_on_commit_callbacks, after=timedelta(seconds=30))
    assert swept == {"released": 0, "batches_requeued": 0, "emails_requeued": 0}
    assert Campaign.objects.get(pk=regular.pk).batches_enqueued_at == enqueued_at
    assert mailbox.arrivals == []

    swept = sweep(django_capture_on_commit_callbacks, after=timedelta(seconds=41))
    assert swept["released"] == len(HEROES)
    assert swept["batches_requeued"] == 1  # at once, not when the campaign looks stalled
    for email in HEROES:
        mailbox.only_one_to(email)


def test_a_campaign_that_looks_stalled_is_not_put_off_while_a_live_batch_holds_its_rows(
    regular, mailbox, django_capture_on_commit_callbacks
):
    claim = new_claim()
    ledger.claim_batch(campaign_id=regular.pk, batch=0, claim=claim)
    enqueued_at = Campaign.objects.get(pk=regular.pk).batches_enqueued_at
    # Six minutes on, the batch is still heartbeating: nothing to release or queue...
    later = timezone.now() + timedelta(minutes=6)
    regular.deliveries.update(claimed_at=later)
    with django_capture_on_commit_callbacks(execute=True):
        swept = campaigns_sweep(now=later)
    assert swept == {"released": 0, "batches_requeued": 0, "emails_requeued": 0}
    # ...and the campaign's stall is not reset by queueing nothing.
    assert Campaign.objects.get(pk=regular.pk).batches_enqueued_at == enqueued_at

    # Then its worker dies: the next sweep but one after the last heartbeat queues it.
    with django_capture_on_commit_callbacks(execute=True):
        swept = campaigns_sweep(now=later + timedelta(seconds=41))
    assert swept["released"] == len(HEROES)
    assert swept["batches_requeued"] == 1
    for email in HEROES:
        mailbox.only_one_to(email)


class Clock:
    """The wall clock and the monotonic one, moved on together by the mail server."""

    def __init__(self) -> None:
        self.start = timezone.now()
        self.seconds = 0.0

    def now(self):
        return self.start + timedelta(seconds=self.seconds)

    def monotonic(self) -> float:
        return self.seconds


@pytest.mark.parametrize(("seconds_per_message", "heartbeats"), [(20, 2), (1, 0)])
def test_a_live_batch_heartbeats_its_claim_every_5_seconds_not_every_message(
    seconds_per_message, heartbeats, regular, mailbox, monkeypatch
):
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock.now)
    monkeypatch.setattr(sending_services, "monotonic", clock.monotonic)
    mailbox.on_recipient = lambda: setattr(clock, "seconds", clock.seconds + seconds_per_message)
    beats = []
    heartbeat = ledger.heartbeat
    monkeypatch.setattr(ledger, "heartbeat", lambda **claim: beats.append(1) or heartbeat(**claim))

    assert campaign_batch_send(campaign_id=regular.pk, batch=0) == len(HEROES)

    assert len(beats) == heartbeats
    # Whenever the sweep had looked, in the minute this took, no row still to send had
    # a claim old enough to be taken for dead.
    for claimed_at, sent_at in regular.deliveries.values_list("claimed_at", "sent_at"):
        assert sent_at - claimed_at < campaign_services.STALE_CLAIM_AFTER


def test_a_live_worker_whose_claim_was_released_sends_nothing_it_no_longer_owns(
    regular, mailbox, monkeypatch, django_capture_on_commit_callbacks
):
    body_for = sending_services.CampaignRenderer.body_for
    calls = []

    def stall_then_body_for(renderer, recipient):
        calls.append(recipient)
        if len(calls) == 2:
            # The worker stalls before its second message (swapped out, a hung lookup) for
            # long enough to be taken for dead.
            assert campaigns_sweep(now=timezone.now() + timedelta(minutes=20))["released"] == 2
        return body_for(renderer, recipient)

    monkeypatch.setattr(sending_services.CampaignRenderer, "body_for", stall_then_body_for)
    with django_capture_on_commit_callbacks(execute=True):
        assert campaign_batch_send(campaign_id=regular.pk, batch=0) == 1

    # The stalled worker stopped at the message in hand (abandoned before its final "."),
    # and the batch the sweep queued again sent the other two.
    assert mailbox.envelopes == len(HEROES) + 1
    for email in HEROES:
        mailbox.only_one_to(email)
    assert set(statuses(regular).values()) == {Delivery.Status.SENT}


def test_a_released_claim_can_neither_heartbeat_nor_change_its_old_rows(regular):
    claim = new_claim()
    rows = ledger.claim_batch(campaign_id=regular.pk, batch=0, claim=claim)
    # Its worker stalled past the threshold: the sweep gave its rows back.
    ledger.release_stale(claimed_before=timezone.now() + timedelta(seconds=1))
    before = list(regular.deliveries.values_list("id", "status", "claim", "claimed_at", "error"))
    assert {status for _, status, _, _, _ in before} == {Delivery.Status.QUEUED}

    assert ledger.heartbeat(campaign_id=regular.pk, batch=0, claim=claim) == 0
    for row_id, _, _ in rows:
        assert not ledger.mark_handed_over(delivery_id=row_id, claim=claim)
        assert not ledger.mark_sent(delivery_id=row_id, claim=claim)
        assert not ledger.mark_failed(delivery_id=row_id, claim=claim, error="550 refused")
        assert not ledger.retry_later(delivery_id=row_id, claim=claim, error="451 later")
        assert not ledger.mark_cancelled(delivery_id=row_id, claim=claim, reason="gone")
    assert list(regular.deliveries.values_list("id", "status", "claim", "claimed_at", "error")) == (
        before
    )
