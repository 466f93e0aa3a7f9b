"""Partners told of a takedown: a signed webhook to each subscribed partner that may hold
the appeal, and an email to each that fetched its poster, each a row of the notices'
ledger sent at least once (docs/DELIVERY.md).

Everything is real: the partner's receiver is an HTTP server on loopback
(tests/webhook_receiver.py), the mail server an SMTP server on loopback (tests/mail.py).
"""

import hashlib
import hmac
import json
import time
import uuid
from datetime import UTC, date, datetime, timedelta

import django_rq
import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from rq.registry import ScheduledJobRegistry

from homeward.models import PoliceForce
from homeward.redis import redis_client
from newsletter import partner_webhooks
from newsletter.models import Partner, PartnerNotice, PosterFetch
from newsletter.partner_webhooks import webhook_body, webhook_signature, webhook_signature_valid
from newsletter.services import partner_notices
from newsletter.services.partner_notices import (
    partner_notice_send,
    partner_notices_make,
    partner_notices_sweep,
)
from tests import factories
from tests.mail import free_port
from tests.webhook_receiver import WebhookReceiver

pytestmark = pytest.mark.django_db

NAME = "Marigold Quillfeather"
REASON = "Found safe at her aunt's house in Whitby by the police."
# Anything that would say who they were, or why the appeal ended.
TELLING = ["Marigold", "Quillfeather", "aunt", "Whitby", "safe", "found", "Found"]
SECRET = "whsec_" + "0" * 48
Kind, Status = PartnerNotice.Kind, PartnerNotice.Status


@pytest.fixture
def receiver():
    receiver = WebhookReceiver()
    yield receiver
    receiver.stop()


@pytest.fixture
def retries_scheduled():
    """The partner notices waiting in RQ's scheduled registry: [(kwargs, when)]; None
    without Redis (there, nothing is scheduled and the sweep finds them)."""
    if not settings.REDIS_URL:
        yield None
        return
    queue = django_rq.get_queue("default", connection=redis_client(settings.REDIS_URL))
    registry = ScheduledJobRegistry(queue=queue)

    def clear():
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)

    def found():
        jobs = [(queue.fetch_job(job_id), job_id) for job_id in registry.get_job_ids()]
        return [
            (job.kwargs, registry.get_scheduled_time(job_id))
            for job, job_id in jobs
            if job.func_name == "newsletter.jobs.partner_notice_send"
        ]

    clear()
    yield found
    clear()


def partner_create(organisation: str, *, areas=(), webhook_url="", **fields) -> Partner:
    partner = Partner.objects.create(
        organisation=organisation,
        email=f"{uuid.uuid4().hex[:8]}@{organisation.lower().replace(' ', '-')}.example",
        webhook_url=webhook_url,
        **fields,
    )
    partner.areas.set(areas)
    return partner


@pytest.fixture
def gazette(receiver) -> Partner:
    """A partner of all of the UK with a webhook to the receiver."""
    return partner_create("Dales Gazette", all_of_uk=True, webhook_url=receiver.url)


def webhook_notice(partner: Partner) -> PartnerNotice:
    """A notice as the takedown's step makes one, without a takedown."""
    event_id = uuid.uuid4()
    body = {"event": "appeal.deleted", "id": 4242, "deleted_at": "2026-03-02T10:00:00+00:00"}
    return PartnerNotice.objects.create(
        partner=partner,
        kind=Kind.WEBHOOK,
        event_id=event_id,
        body={**body, "event_id": str(event_id)},
    )


def fresh(notice: PartnerNotice) -> PartnerNotice:
    return PartnerNotice.objects.get(pk=notice.pk)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Call a function, then the jobs it queued for after the commit (here: in-process)."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


# The signature


def test_a_signature_is_valid_for_its_body_and_secret_only_and_only_for_five_minutes():
    body = webhook_body({"id": 7, "event": "appeal.deleted"})
    assert body == b'{"event":"appeal.deleted","id":7}'  # compact, keys sorted
    now = 1_780_000_000
    header = webhook_signature(SECRET, now, body)
    # Stripe's scheme, as a partner's own code computes it.
    signed = f"{now}.".encode() + body
    expected = hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
    assert header == f"t={now},v1={expected}"

    assert webhook_signature_valid(SECRET, header, body, now=now + 299)
    assert webhook_signature_valid(SECRET, header, body, now=now - 299)  # clocks differ
    assert not webhook_signature_valid(SECRET, header, body + b" ", now=now)
    assert not webhook_signature_valid(SECRET, header, body.replace(b"7", b"8"), now=now)
    assert not webhook_signature_valid("whsec_another", header, body, now=now)
    assert not webhook_signature_valid(SECRET, header, body, now=now + 301)  # replayed later
    assert webhook_signature_valid(SECRET, header, body, now=now, tolerance=0)
    # The timestamp is signed too: an old signature with a fresh t is refused.
    fresh_t = f"t={now + 600},v1={expected}"
    assert not webhook_signature_valid(SECRET, fresh_t, body, now=now + 600)
    for broken in ("", f"v1={expected}", f"t={now}", f"t=soon,v1={expected}"):
        assert not webhook_signature_valid(SECRET, broken, body, now=now)
    # Several signatures (a partner's secret being replaced): one that matches is enough.
    assert webhook_signature_valid(SECRET, f"t={now},v1={'0' * 64},v1={expected}", body, now=now)


# Sending one notice


def test_a_webhook_is_posted_signed_to_the_partner_and_recorded_delivered(receiver, gazette):
    assert gazette.webhook_secret.startswith("whsec_")
    notice = webhook_notice(gazette)

    assert partner_notice_send(notice_id=notice.pk) is True

    (arrival,) = receiver.arrivals()
    assert arrival.path == "/hooks/homeward"
    assert arrival.headers["Content-Type"] == "application/json"
    assert arrival.headers["User-Agent"] == "Homeward-Webhooks/1"
    assert arrival.headers["Homeward-Event"] == "appeal.deleted"
    assert arrival.headers["Homeward-Event-Id"] == str(notice.event_id)
    assert arrival.body == webhook_body(notice.body)
    assert json.loads(arrival.body) == notice.body
    assert webhook_signature_valid(
        gazette.webhook_secret, arrival.headers["Homeward-Signature"], arrival.body
    )
    sent = fresh(notice)
    assert sent.status == Status.DELIVERED and sent.delivered_at is not None
    assert (sent.attempts, sent.claimed_at, sent.last_error) == (1, None, "")


def test_a_replayed_job_sends_nothing_twice(receiver, gazette):
    notice = webhook_notice(gazette)
    held = webhook_notice(gazette)
    # Another worker is sending this one right now: its claim is live.
    PartnerNotice.objects.filter(pk=held.pk).update(claimed_at=timezone.now())

    assert partner_notice_send(notice_id=notice.pk) is True
    assert partner_notice_send(notice_id=notice.pk) is False  # replayed: delivered already
    assert partner_notice_send(notice_id=held.pk) is False
    assert partner_notices_sweep(now=timezone.now() + timedelta(minutes=1, seconds=30)) == 0

    assert [arrival.event_id for arrival in receiver.arrivals()] == [str(notice.event_id)]
    assert fresh(notice).attempts == 1 and fresh(held).attempts == 0


@pytest.mark.parametrize("status", [500, 404, 301])
def test_a_refusal_is_retried_with_a_growing_backoff_then_delivered(
    receiver, gazette, status, retries_scheduled, run
):
    notice = webhook_notice(gazette)
    receiver.status = status
    receiver.headers = {"Location": receiver.url + "/moved"}
    # A long answer, over several lines: staff see only the start of it, on one line.
    receiver.answer = b"Upstream\r\nbroken " + b"x" * 5000

    started = timezone.now()
    assert run(partner_notice_send, notice_id=notice.pk) is False
    waiting = fresh(notice)
    assert (waiting.status, waiting.attempts, waiting.claimed_at) == (Status.QUEUED, 1, None)
    assert waiting.last_error.startswith(f"HTTP {status}: Upstream broken xxx")
    assert len(waiting.last_error) <= 300 and "\n" not in waiting.last_error
    first_wait = waiting.next_attempt_at - started
    assert timedelta(seconds=10) <= first_wait < timedelta(seconds=15)
    if retries_scheduled:
        [(kwargs, when)] = retries_scheduled()
        assert kwargs == {"notice_id": notice.pk}
        assert abs(when - waiting.next_attempt_at) < timedelta(seconds=1)  # RQ keeps seconds
    # A redirect is not followed: the one request is all the receiver got.
    assert [arrival.path for arrival in receiver.arrivals()] == ["/hooks/homeward"]

    # Before its time, nothing is tried; after it, tried again, and the wait doubles.
    assert partner_notice_send(notice_id=notice.pk) is False
    assert len(receiver.arrivals()) == 1
    with time_machine.travel(waiting.next_attempt_at + timedelta(seconds=1)):
        tried_at = timezone.now()
        assert partner_notice_send(notice_id=notice.pk) is False
    waiting = fresh(notice)
    assert waiting.attempts == 2
    assert timedelta(seconds=20) <= waiting.next_attempt_at - tried_at < timedelta(seconds=25)

    receiver.status, receiver.headers, receiver.answer = 204, {}, b""
    with time_machine.travel(waiting.next_attempt_at + timedelta(seconds=1)):
        assert partner_notice_send(notice_id=notice.pk) is True
    delivered = fresh(notice)
    assert (delivered.status, delivered.attempts, delivered.last_error) == (Status.DELIVERED, 3, "")
    assert len({arrival.event_id for arrival in receiver.arrivals()}) == 1
    assert len({arrival.body for arrival in receiver.arrivals()}) == 1  # the same every time


def test_a_partner_that_hangs_is_given_up_on_and_retried(receiver, gazette, monkeypatch):
    monkeypatch.setattr(partner_webhooks, "TIMEOUT", (3, 0.5))
    notice = webhook_notice(gazette)
    receiver.on_arrival = lambda arrival: time.sleep(1.5)

    assert partner_notice_send(notice_id=notice.pk) is False
    waiting = fresh(notice)
    assert (waiting.status, waiting.last_error) == (Status.QUEUED, "ReadTimeout")


def test_a_dead_address_is_tried_for_about_a_day_then_failed():
    nowhere = f"http://127.0.0.1:{free_port()}/hooks"  # nothing listens there
    notice = webhook_notice(partner_create("Dales Gazette", all_of_uk=True, webhook_url=nowhere))
    first_try = timezone.now()
    waits = []
    for attempt in range(1, partner_notices.MAX_ATTEMPTS + 1):
        due = fresh(notice).next_attempt_at
        with time_machine.travel(max(due, timezone.now()) + timedelta(seconds=1)):
            tried_at = timezone.now()
            assert partner_notice_send(notice_id=notice.pk) is False
        notice = fresh(notice)
        assert notice.attempts == attempt
        assert notice.last_error == "ConnectionError"
        if notice.status == Status.QUEUED:
            waits.append(round((notice.next_attempt_at - tried_at).total_seconds()))
    last_try = tried_at

    assert notice.status == Status.FAILED and notice.claimed_at is None
    assert waits[:4] == [10, 20, 40, 80]
    assert max(waits) == 3600 and waits[-1] == 3600
    assert timedelta(hours=20) < last_try - first_try < timedelta(hours=26)
    # Failed is final: nothing tries it again.
    with time_machine.travel(last_try + timedelta(days=1)):
        assert partner_notice_send(notice_id=notice.pk) is False
        assert partner_notices_sweep() == 0
    assert fresh(notice).attempts == partner_notices.MAX_ATTEMPTS


def test_a_partner_whose_webhook_was_removed_is_not_tried(receiver, gazette):
    notice = webhook_notice(gazette)
    Partner.objects.filter(pk=gazette.pk).update(webhook_url="")

    assert partner_notice_send(notice_id=notice.pk) is False
    assert fresh(notice).status == Status.FAILED
    assert "no webhook address" in fresh(notice).last_error
    assert receiver.arrivals() == []


# The sweep


def test_the_sweep_sends_a_notice_whose_job_was_lost(receiver, gazette):
    notice = webhook_notice(gazette)  # its job never ran: lost in a Redis blip

    # For a minute its own job may still come: the sweep leaves it to the job.
    assert partner_notices_sweep(now=timezone.now() + timedelta(seconds=30)) == 0
    assert receiver.arrivals() == []
    assert partner_notices_sweep(now=timezone.now() + timedelta(minutes=1, seconds=1)) == 1
    assert partner_notices_sweep(now=timezone.now() + timedelta(minutes=2)) == 0

    assert [arrival.event_id for arrival in receiver.arrivals()] == [str(notice.event_id)]
    assert fresh(notice).status == Status.DELIVERED


def test_the_sweep_sends_again_what_a_dead_worker_held_once_its_claim_lapses(receiver, gazette):
    notice = webhook_notice(gazette)
    killed_at = timezone.now() + timedelta(minutes=5)
    # A worker claimed it, perhaps even delivered it, and was killed before recording it.
    PartnerNotice.objects.filter(pk=notice.pk).update(claimed_at=killed_at, attempts=1)

    lease = partner_notices.CLAIM_LEASE
    assert partner_notices_sweep(now=killed_at + lease - timedelta(seconds=1)) == 0
    assert receiver.arrivals() == []  # it may be alive, only slow
    assert partner_notices_sweep(now=killed_at + lease + timedelta(seconds=1)) == 1

    (arrival,) = receiver.arrivals()
    assert arrival.event_id == str(notice.event_id)  # the partner can drop a repeat
    sent = fresh(notice)
    assert (sent.status, sent.attempts) == (Status.DELIVERED, 2)


# Closing an appeal


@pytest.fixture
def forces(db):
    owning = PoliceForce.objects.get(slug="north-yorkshire-police")
    other = PoliceForce.objects.get(slug="west-yorkshire-police")
    return owning, other


@pytest.fixture
def appeal(directory, forces):
    return factories.appeal_create(parent=directory, title=NAME, police_force=forces[0])


def test_closing_an_appeal_tells_each_subscribed_partner_once_and_says_nothing_of_who_or_why(
    appeal, forces, receiver, run, django_capture_on_commit_callbacks
):
    owning, other = forces
    told = {
        partner_create("All UK Paper", all_of_uk=True, webhook_url=receiver.url),
        partner_create("Yorkshire Screens", areas=[owning, other], webhook_url=receiver.url),
    }
    partner_create("Leeds Only", areas=[other], webhook_url=receiver.url)
    partner_create("Gone Quiet", all_of_uk=True, webhook_url=receiver.url, active=False)
    partner_create("Feeds Only", all_of_uk=True)
    partner_create(
        "Briefings Only",
        all_of_uk=True,
        webhook_url=receiver.url,
        public_appeals=False,
        briefings=True,
        vetted_on=date(2026, 1, 1),
    )

    takedown = factories.appeal_found(
        appeal, capture=django_capture_on_commit_callbacks, reason=REASON
    )

    notices = PartnerNotice.objects.filter(takedown=takedown)
    assert {(notice.partner, notice.kind) for notice in notices} == {
        (partner, Kind.WEBHOOK) for partner in told
    }
    assert all(notice.status == Status.DELIVERED for notice in notices)
    arrivals = receiver.arrivals()
    assert sorted(arrival.event_id for arrival in arrivals) == sorted(
        str(notice.event_id) for notice in notices
    )
    for arrival in arrivals:
        notice = notices.get(event_id=arrival.event_id)
        assert webhook_signature_valid(
            notice.partner.webhook_secret, arrival.headers["Homeward-Signature"], arrival.body
        )
        body = json.loads(arrival.body)
        assert set(body) == {"event", "id", "deleted_at", "event_id"}
        assert body["id"] == appeal.pk and body["event"] == "appeal.deleted"
        assert datetime.fromisoformat(body["deleted_at"]) == takedown.closed_at
        said = arrival.body.decode() + json.dumps(arrival.headers)
        assert not [word for word in TELLING if word in said]

    takedown.refresh_from_db()
    assert takedown.steps[takedown.Step.PARTNERS]["notices"] == 2
    # The step run again (a takedown retried) makes none twice, and sends nothing more.
    assert run(partner_notices_make, takedown=takedown) == {"notices": 0}
    assert len(receiver.arrivals()) == 2 and notices.count() == 2


def test_a_partner_that_fetched_the_poster_is_asked_once_to_take_it_down(
    appeal, forces, settings, mailbox, run, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # to the mailbox
    code = appeal.public_short_link().code
    printer = partner_create("Leeds Print Shop", areas=[forces[1]])  # any area: they printed it
    # 00:30 on 15 July in the UK, when they downloaded it.
    downloaded = datetime(2025, 7, 14, 23, 30, tzinfo=UTC)
    PosterFetch.objects.create(
        partner=printer, appeal=appeal, first_fetched_at=downloaded, last_fetched_at=downloaded
    )

    takedown = factories.appeal_found(
        appeal, capture=django_capture_on_commit_callbacks, reason=REASON
    )

    notice = PartnerNotice.objects.get(takedown=takedown)
    assert (notice.partner, notice.kind, notice.status) == (
        printer,
        Kind.POSTER_EMAIL,
        Status.DELIVERED,
    )
    event_id = str(notice.event_id)
    assert notice.body == {"reference": code, "fetched_on": "2025-07-15", "event_id": event_id}
    arrival = mailbox.only_one_to(printer.email)
    message = arrival.message
    text = arrival.text()
    assert code in message["Subject"] and code in text
    assert "15 July 2025" in text
    assert f"/a/{code}" in text  # the address printed on the poster
    said = str(message["Subject"]) + text
    assert not [word for word in TELLING if word in said]
    assert "/media/" not in text
    assert [part.get_content_type() for part in message.walk()] == ["text/plain"]  # no photo
    assert message["Homeward-Event-Id"] == event_id
    assert event_id in message["Message-ID"]  # the same on a repeat

    # A replayed job, the sweep and the step again: still the one email.
    assert run(partner_notice_send, notice_id=notice.pk) is False
    assert partner_notices_sweep(now=timezone.now() + timedelta(hours=1)) == 0
    assert run(partner_notices_make, takedown=takedown) == {"notices": 0}
    assert len(mailbox.to(printer.email)) == 1
