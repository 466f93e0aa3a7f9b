"""What a takedown owes partners: a signed webhook to each subscribed partner that may
hold the appeal, and an email to each partner that fetched its poster.

The takedown's "partners" step makes the notices (one per partner, kind and takedown:
running the step again makes none twice) in the takedown's own run, then each is sent
after commit by a job; the sweep sends whatever a lost job or a dead worker left.

Sending follows every ledger here (homeward.claims): one conditional UPDATE claims a
notice that is queued, due and held by no live claim, so a replayed or parallel job sends
nothing. A failure (an answer other than 2xx, a timeout, a refused connection, a mail
server that refuses) waits a backoff in RQ's scheduled registry, never in a sleeping
worker, until the notice has had its attempts. A worker that dies mid-send leaves its
claim to lapse, and the notice goes again: a partner may get one twice (the event id is
the same, so it can drop the repeat), never not at all (docs/DELIVERY.md).
"""

import logging
import uuid
from datetime import date, datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from appeals.models import AppealShortLink, AppealTakedown
from homeward.claims import backoff, sweep_each, unclaimed
from homeward.jobs import enqueue_after_commit, enqueue_at_after_commit
from homeward.links import absolute_url
from homeward.models import CharityDetails
from homeward.text import single_line
from newsletter import jobs
from newsletter.models import PartnerNotice, PosterFetch
from newsletter.partner_selectors import partners_who_may_hold
from newsletter.partner_webhooks import EVENT, WebhookRefused, webhook_post

logger = logging.getLogger(__name__)

Kind, Status = PartnerNotice.Kind, PartnerNotice.Status

# A send takes seconds (partner_webhooks.TIMEOUT, the mail server's timeout); a claim
# this old belongs to a worker that died, and the notice is sent again.
CLAIM_LEASE = timedelta(minutes=2)
# Tried this many times in all, 10 s apart at first, doubling to hourly: the last try is
# 23 hours after the first, so a partner's system down for most of a day still hears.
MAX_ATTEMPTS = 32
RETRY_FIRST, RETRY_LONGEST = timedelta(seconds=10), timedelta(hours=1)
# A notice's own job has it within seconds of its time: the sweep leaves it this long, so
# that notices go out in parallel jobs, and the sweep sends only what a job lost.
SWEEP_AFTER = timedelta(minutes=1)
POSTER_EMAIL = "newsletter/email/poster_takedown.txt"
NO_WEBHOOK = "The partner has no webhook address any more."


def partner_notices_make(*, takedown: AppealTakedown) -> dict:
    """The takedown step: ledger a notice for every partner owed one, and queue each to
    be sent once this commits. Safe to repeat."""
    # The appeal's number and when it came down: never who, never why.
    webhook = {
        "event": EVENT,
        "id": takedown.appeal_number,
        "deleted_at": takedown.closed_at.isoformat(),
    }
    subscribed = partners_who_may_hold(takedown=takedown).exclude(webhook_url="")
    owed = [(pk, Kind.WEBHOOK, webhook) for pk in subscribed.values_list("pk", flat=True)]
    code = (
        AppealShortLink.objects.filter(appeal_id=takedown.appeal_id)
        .values_list("code", flat=True)
        .first()
    )
    for fetch in PosterFetch.objects.filter(appeal_id=takedown.appeal_id):
        fetched_on = timezone.localdate(fetch.last_fetched_at).isoformat()  # the UK's day
        poster = {"reference": code or "", "fetched_on": fetched_on}
        owed.append((fetch.partner_id, Kind.POSTER_EMAIL, poster))
    with transaction.atomic():
        made = [
            notice_id
            for partner_id, kind, body in owed
            if (notice_id := _notice_make(partner_id, kind, takedown, body)) is not None
        ]
        # One round trip to the queue for them all.
        if made:
            enqueue_after_commit(jobs.partner_notice_send, *[{"notice_id": pk} for pk in made])
    return {"notices": len(made)}


def _notice_make(partner_id: int, kind: str, takedown: AppealTakedown, body: dict) -> int | None:
    event_id = uuid.uuid4()
    try:
        with transaction.atomic():
            return PartnerNotice.objects.create(
                partner_id=partner_id,
                kind=kind,
                takedown=takedown,
                event_id=event_id,
                body={**body, "event_id": str(event_id)},
            ).pk
    except IntegrityError:
        return None  # made by an earlier run of the step


def partner_notice_send(*, notice_id: int, now: datetime | None = None) -> bool:
    """Send one notice if it is queued, due and no live claim holds it. Whether it was
    delivered now."""
    now = now or timezone.now()
    # Every claim counts as an attempt, so a notice that kills its worker is not tried
    # for ever.
    if not PartnerNotice.objects.filter(
        unclaimed(now=now, lease=CLAIM_LEASE),
        pk=notice_id,
        status=Status.QUEUED,
        next_attempt_at__lte=now,
    ).update(claimed_at=now, attempts=F("attempts") + 1):
        return False
    notice = PartnerNotice.objects.select_related("partner").get(pk=notice_id)
    mine = PartnerNotice.objects.filter(pk=notice_id, claimed_at=now, status=Status.QUEUED)
    if notice.kind == Kind.WEBHOOK and not notice.partner.webhook_url:
        mine.update(status=Status.FAILED, claimed_at=None, last_error=NO_WEBHOOK)
        return False
    try:
        _deliver(notice)
    except Exception as error:
        logger.warning("Partner notice %s (%s) not delivered: %r", notice.pk, notice.kind, error)
        _retry_or_fail(notice, mine, error)
        return False
    # Delivered is true whoever holds the claim by now (one that outlived its lease).
    PartnerNotice.objects.filter(pk=notice_id, status=Status.QUEUED).update(
        status=Status.DELIVERED, delivered_at=timezone.now(), claimed_at=None, last_error=""
    )
    return True


def _deliver(notice: PartnerNotice) -> None:
    partner = notice.partner
    if notice.kind == Kind.WEBHOOK:
        webhook_post(
            url=partner.webhook_url,
            secret=partner.webhook_secret,
            body=notice.body,
            event_id=str(notice.event_id),
        )
    else:
        _poster_email(notice).send()


def _poster_email(notice: PartnerNotice) -> EmailMessage:
    """Asks the partner to take down the posters they printed: by the reference printed
    on them and the day they downloaded it, naming no one and giving no reason."""
    reference = notice.body["reference"]
    subject = f"Please take down poster {reference}" if reference else "Please take down a poster"
    context = {
        "reference": reference,
        "fetched_on": date.fromisoformat(notice.body["fetched_on"]),
        "address": _printed_address(reference),
        "charity": CharityDetails.load(),
    }
    return EmailMessage(
        subject=subject,
        body=render_to_string(POSTER_EMAIL, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notice.partner.email],
        headers={
            "Homeward-Event-Id": str(notice.event_id),
            # The same on a repeat: mailboxes that keep one message per id drop it.
            "Message-ID": f"<partner-notice.{notice.event_id}@{_domain()}>",
        },
    )


def _printed_address(reference: str) -> str:
    """The short address as the poster prints it, without the scheme."""
    if not reference:
        return ""
    return absolute_url(reverse("appeal-short-link", kwargs={"code": reference})).split("://")[-1]


def _domain() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "homeward.invalid"


def _retry_or_fail(notice: PartnerNotice, mine, error: Exception) -> None:
    """A claimed notice that failed: again after the backoff, or failed for good once it
    has had its attempts. Nothing, if the claim lapsed meanwhile (another job has it)."""
    text = _error_text(error)
    if notice.attempts >= MAX_ATTEMPTS:
        mine.update(status=Status.FAILED, claimed_at=None, last_error=text)
        return
    when = timezone.now() + backoff(
        notice.attempts, first=RETRY_FIRST, factor=2, longest=RETRY_LONGEST
    )
    if mine.update(next_attempt_at=when, claimed_at=None, last_error=text):
        enqueue_at_after_commit(jobs.partner_notice_send, when, notice_id=notice.pk)


def _error_text(error: Exception) -> str:
    """For staff: the status and the start of a refusal's answer, or what went wrong (a
    timeout, a refused connection), never more of the partner's answer."""
    if isinstance(error, WebhookRefused):
        return single_line(str(error))[:300]
    return type(error).__name__


def partner_notices_sweep(*, now: datetime | None = None) -> int:
    """Send what a lost job (a Redis blip) or a dead worker (its claim lapsed) left:
    queued notices due for a while that no live claim holds. Run every 20 seconds, safe to
    repeat. How many it delivered."""
    now = now or timezone.now()
    due = (
        PartnerNotice.objects.filter(
            unclaimed(now=now, lease=CLAIM_LEASE),
            status=Status.QUEUED,
            next_attempt_at__lte=now - SWEEP_AFTER,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)
    )
    return sweep_each(
        list(due),
        now=now,
        send=lambda pk, at: partner_notice_send(notice_id=pk, now=at),
        name="Partner notice",
    )
