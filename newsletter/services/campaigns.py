"""Campaigns: the regular email, urgent alerts and partner briefings, from creation to done."""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Min, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext

from appeals.models import AppealPage
from homeward.claims import JOB_LOST_AFTER
from homeward.jobs import enqueue_after_commit
from homeward.languages import DEFAULT_LANGUAGE
from newsletter import jobs, ledger
from newsletter.emails import email_compile
from newsletter.languages import in_each_language
from newsletter.models import Campaign, Delivery, NewsletterSettings
from newsletter.partner_selectors import briefing_partners
from newsletter.selectors import (
    appeal_card,
    campaign_forces,
    hero_audience,
    regular_email_content,
    regular_email_since,
)
from newsletter.services.sending import campaign_finish_if_done

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
# A live batch heartbeats its claim every few seconds (sending.HEARTBEAT_SECONDS); a claim
# with no heartbeat for this long belongs to a worker that died. With the sweep every
# 20 seconds, a killed batch is queued again within a minute. A batch heartbeats between
# messages, so one message held up for longer than this (a mail server stalling on
# several commands in a row) makes a live batch look dead: it loses its rows and sends
# none of them, but for an urgent alert or a briefing the message it had in hand may
# then go twice, which their at-least-once rule accepts (docs/DELIVERY.md).
STALE_CLAIM_AFTER = timedelta(seconds=40)


def campaign_regular_due(*, now: datetime | None = None) -> Campaign | None:
    """The regular email, if the schedule says it is due and this week's has not gone."""
    now = now or timezone.now()
    policy = NewsletterSettings.load()
    local = timezone.localtime(now)
    if not policy.regular_enabled or (local.weekday(), local.hour) < (
        policy.regular_weekday,
        policy.regular_hour,
    ):
        return None
    year, week, _ = local.isocalendar()
    period = f"{year}-W{week:02d}"
    if Campaign.objects.filter(kind=Campaign.Kind.REGULAR, period=period).exists():
        return None
    content = regular_email_content(since=regular_email_since(now=now), now=now)
    return _campaign_start(
        kind=Campaign.Kind.REGULAR,
        subject=lambda: (
            gettext("Missing people near you: %(date)s") % {"date": date_format(local, "j F Y")}
        ),
        content=content,
        period=period,
        audience=hero_audience(forces=campaign_forces(content), urgent_only=False),
    )


def campaign_urgent_alert(*, appeal: AppealPage) -> Campaign | None:
    """An urgent alert to Heroes of the appeal's area who asked for alerts: once per appeal."""
    appeal = (
        AppealPage.objects.publicly_visible()
        .prefetch_related("translations")
        .filter(pk=appeal.pk)
        .first()
    )
    if appeal is None or appeal.risk_level != AppealPage.RiskLevel.HIGH:
        return None
    return _campaign_start(
        kind=Campaign.Kind.URGENT,
        subject=lambda: gettext("Urgent: please help find %(name)s") % {"name": appeal.title},
        content={"urgent_appeal": appeal_card(appeal)},
        appeal=appeal,
        audience=hero_audience(forces={appeal.police_force_id}, urgent_only=True),
    )


def campaign_partner_briefing(*, appeal: AppealPage) -> Campaign | None:
    """A restricted briefing to vetted partners of the appeal's area: never public."""
    draft = appeal.get_latest_revision_as_object()
    briefing = {
        "name": draft.title,
        "age": draft.age_text,
        "area": draft.last_seen_area,
        "since": date_format(draft.missing_since, "j F Y"),
        "force": draft.police_force.name,
        "description": " ".join(
            part for part in (draft.clothing, draft.distinguishing_features) if part
        ),
    }
    # Partners are safeguarding organisations in the UK, written to in English.
    return _campaign_start(
        kind=Campaign.Kind.BRIEFING,
        subject=lambda: f"Restricted briefing, do not share: {draft.title}",
        content={"briefing": briefing},
        appeal=appeal,
        audience=briefing_partners(force_id=draft.police_force_id),
    )


def _campaign_start(
    *,
    kind: str,
    subject: Callable[[], str],
    content: dict,
    audience: QuerySet,
    appeal: AppealPage | None = None,
    period: str = "",
) -> Campaign | None:
    """Compile the email, write one ledger row per recipient, queue the batches.

    ``subject`` gives it in the active language: it is kept in each language offered,
    the English one also as the campaign's own (what staff see). None if this campaign
    exists already (a replayed trigger): it is never made twice.
    """
    source = email_compile(kind)
    subjects = in_each_language(subject)
    policy = NewsletterSettings.load()
    wordings = in_each_language(lambda: policy.wording(get_language()))
    content = {
        **content,
        "wording": wordings[DEFAULT_LANGUAGE],  # what staff see of it, and older emails read
        "wordings": wordings,
        "subjects": subjects,
    }
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(
                kind=kind,
                subject=subjects[DEFAULT_LANGUAGE],
                content=content,
                appeal=appeal,
                period=period,
                html_template=source.html,
                text_template=source.text,
            )
            recipients = _ledger_fill(campaign, audience)
            _enqueue_batches(
                campaign.pk,
                batches=range((recipients + BATCH_SIZE - 1) // BATCH_SIZE),
                now=timezone.now(),
            )
    except IntegrityError:
        logger.info("%s campaign exists already: not made again", kind)
        return None
    if not recipients:
        Campaign.objects.filter(pk=campaign.pk).update(
            status=Campaign.Status.DONE, finished_at=timezone.now()
        )
    return campaign


def _ledger_fill(campaign: Campaign, audience: QuerySet) -> int:
    """One queued row per recipient, numbered into batches, in one INSERT … SELECT.

    The database does it all: nothing about the recipients is loaded into memory.
    """
    column = "partner_id" if campaign.kind == Campaign.Kind.BRIEFING else "hero_id"
    # Batches of people with the same first area: fewer distinct emails to render in each.
    select, params = (
        audience.order_by().annotate(first_area=Min("areas")).values("id", "first_area")
    ).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ledger.TABLE} "  # noqa: S608 (our own table and query)
            f"(campaign_id, kind, {column}, batch, status, attempts, created_at, error) "
            "SELECT %s, %s, audience.id, "
            "(ROW_NUMBER() OVER (ORDER BY audience.first_area, audience.id) - 1) / %s, "
            "%s, 0, %s, '' "
            f"FROM ({select}) AS audience",
            [
                campaign.pk,
                Delivery.Kind.CAMPAIGN,
                BATCH_SIZE,
                Delivery.Status.QUEUED,
                timezone.now(),
                *params,
            ],
        )
        return cursor.rowcount


def _enqueue_batches(campaign_id: int, *, batches, now: datetime) -> int:
    """Queue these batches after commit; returns how many. Only a campaign that had some
    queued counts as freshly queued: otherwise its stall would be put off for nothing."""
    calls = [{"campaign_id": campaign_id, "batch": batch} for batch in batches]
    if calls:
        enqueue_after_commit(jobs.campaign_batch_send, *calls)
        Campaign.objects.filter(pk=campaign_id).update(batches_enqueued_at=now)
    return len(calls)


def campaign_cancel(*, campaign: Campaign) -> int:
    """Stop a campaign: nothing still queued is sent. Returns how many were cancelled."""
    with transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SENDING).update(
            status=Campaign.Status.CANCELLED, finished_at=timezone.now()
        )
        return campaign.deliveries.filter(status=Delivery.Status.QUEUED).update(
            status=Delivery.Status.CANCELLED, error="campaign cancelled"
        )


def campaigns_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Pick up what a dead worker or a lost job left: run every 20 seconds, safe to repeat.

    Claims with no heartbeat for STALE_CLAIM_AFTER are released (what they had not handed
    to the mail server, and urgent alerts' and briefings' messages in doubt: see
    newsletter/ledger.py) and the batches they held are queued again at once; campaigns
    with queued rows and no progress get their batches queued again; one-off emails
    likewise.
    """
    now = now or timezone.now()
    batches: dict[int, set[int]] = {}
    single: set[int] = set()
    with transaction.atomic():
        released = ledger.release_stale(claimed_before=now - STALE_CLAIM_AFTER)
        for delivery_id, campaign_id, batch in released:
            if campaign_id is None:
                single.add(delivery_id)
            else:
                batches.setdefault(campaign_id, set()).add(batch)
        requeued = sum(
            _enqueue_batches(campaign_id, batches=sorted(numbers), now=now)
            for campaign_id, numbers in batches.items()
        )
    stalled = Campaign.objects.filter(
        status=Campaign.Status.SENDING, batches_enqueued_at__lt=now - JOB_LOST_AFTER
    ).exclude(last_progress_at__gt=now - JOB_LOST_AFTER)
    for campaign in stalled:
        queued = (
            campaign.deliveries.filter(status=Delivery.Status.QUEUED)
            .values_list("batch", flat=True)
            .distinct()
            .order_by("batch")
        )
        with transaction.atomic():
            requeued += _enqueue_batches(campaign.pk, batches=list(queued), now=now)
    for campaign_id in Campaign.objects.filter(status=Campaign.Status.SENDING).values_list(
        "pk", flat=True
    ):
        campaign_finish_if_done(campaign_id=campaign_id)
    single.update(
        Delivery.objects.filter(
            campaign=None, status=Delivery.Status.QUEUED, created_at__lt=now - JOB_LOST_AFTER
        ).values_list("pk", flat=True)[:1000]
    )
    if single:
        with transaction.atomic():
            enqueue_after_commit(
                jobs.delivery_send, *[{"delivery_id": pk} for pk in sorted(single)]
            )
    return {
        "released": len(released),
        "batches_requeued": requeued,
        "emails_requeued": len(single),
    }


APPEAL_LISTS = ("new_appeals", "pushed_appeals")


def _content_without(content: dict, appeal_id: int) -> dict:
    return {
        **content,
        **{
            key: [card for card in content.get(key, []) if card["id"] != appeal_id]
            for key in APPEAL_LISTS
        },
    }


def campaigns_withdraw_appeal(*, appeal_id: int) -> int:
    """Takedown: a closed appeal leaves every email not yet sent. Returns how many emails
    were cancelled.

    Its urgent alert and partner briefing stop. The regular emails still sending lose its
    card (later batches render from the content) and gain the nameless "please delete old
    shares" line; a Hero whose areas had only that appeal gets nothing. A batch already
    being sent keeps what it rendered: at most one batch.
    """
    cancelled = 0
    for campaign in Campaign.objects.filter(appeal_id=appeal_id, status=Campaign.Status.SENDING):
        cancelled += campaign_cancel(campaign=campaign)
    with transaction.atomic():
        for campaign in Campaign.objects.select_for_update().filter(
            kind=Campaign.Kind.REGULAR, status=Campaign.Status.SENDING
        ):
            content = _content_without(campaign.content, appeal_id)
            if content == campaign.content:
                continue
            if not any(content[key] for key in APPEAL_LISTS):
                cancelled += campaign_cancel(campaign=campaign)
                continue
            campaign.content = {**content, "delete_old_shares": True}
            campaign.save(update_fields=["content"])
            cancelled += (
                campaign.deliveries.filter(status=Delivery.Status.QUEUED, hero__all_of_uk=False)
                .exclude(hero__areas__in=campaign_forces(content))
                .update(status=Delivery.Status.CANCELLED, error="its appeals closed")
            )
    return cancelled


def campaigns_forget_appeal(*, appeal_id: int) -> None:
    """Retention: no campaign, sent or not, keeps anything about a purged appeal."""
    for campaign in Campaign.objects.filter(appeal_id=appeal_id):
        campaign.subject = f"{campaign.get_kind_display()} (closed appeal)"
        campaign.content = {}
        campaign.save(update_fields=["subject", "content"])
    for campaign in Campaign.objects.filter(kind=Campaign.Kind.REGULAR):
        content = _content_without(campaign.content, appeal_id)
        if content != campaign.content:
            campaign.content = content
            campaign.save(update_fields=["content"])
