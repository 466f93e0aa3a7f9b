"""Closing an appeal and taking it down everywhere, quietly; then forgetting the person.

Closing unpublishes the page in the same transaction (its address answers 410 Gone from
that commit); right after the commit, in the same request, photos and renditions leave
the public media, unsent emails are cancelled, social posts are deleted and the search
index forgets the page; a job then purges the caches (the CDN may be slow). Each step is
recorded as it completes, under a claim (appeal_takedown_run). A step that fails does not
stop the others; the sweep runs the takedown again, with backoff, until every step is
done. Nothing announces the outcome anywhere.

An ended publicity clearance takes the appeal down the same way, but it stays open: the
person is still missing. Its takedown record (outcome "expired") lasts until a renewed
check is approved and the appeal goes live again, or until it is closed after all.

After APPEAL_RETENTION_DAYS the retention purge (appeals.services.retention) forgets the
person.
"""

import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task
from wagtail.log_actions import log
from wagtail.models import Page
from wagtail.search import index

from appeals.models import AppealPage, AppealTakedown
from appeals.off_site import unpublish_refusal
from appeals.services.photos import (
    images_no_missing_appeal_shares,
    images_not_shown_elsewhere,
    images_shown_by,
    images_unpublish,
)
from homeward.frontend_cache import listing_purge_batch
from homeward.jobs import enqueue_after_commit
from homeward.links import absolute_url
from homeward.page_cache import page_cache_purge

logger = logging.getLogger(__name__)

CLOSING_OUTCOMES = (AppealTakedown.Outcome.FOUND, AppealTakedown.Outcome.WITHDRAWN)
# A takedown with steps left is run again after 1, 2, 4 … minutes, then hourly.
RETRY_BACKOFF_MAX = timedelta(hours=1)
# A run holds its takedown this long past its last recorded step; longer than any one
# step takes (the CDN's purges time out well within it).
TAKEDOWN_LEASE = timedelta(minutes=5)


class AppealAlreadyClosed(ValidationError):
    """Someone else closed the appeal first (or its clearance ended)."""


def appeal_close(
    *, appeal: AppealPage, user: AbstractBaseUser, outcome: str, reason: str
) -> AppealTakedown:
    """Mark an appeal found or withdrawn and start its takedown at once.

    Staff who may publish, or an officer of the owning force. The reason is for staff
    and police only: it is never published, and it is purged with the person's data.
    """
    if not appeal.permissions_for_user(user).can_close():
        if appeal.is_closed:
            raise AppealAlreadyClosed("This appeal is closed already.")
        raise PermissionDenied("Only publishers or the force that owns the case can close it.")
    reason = reason.strip()
    errors = {}
    if outcome not in CLOSING_OUTCOMES:
        errors["outcome"] = "Choose whether they were found or publicity was withdrawn."
    if not reason:
        errors["reason"] = "Give the reason: staff and police will see it, the public never."
    elif len(reason) > AppealTakedown._meta.get_field("reason").max_length:
        errors["reason"] = "Keep the reason under 1,000 characters."
    if errors:
        raise ValidationError(errors)
    return _takedown_start(appeal=appeal, outcome=outcome, reason=reason, user=user)


def appeal_expire(
    *, appeal: AppealPage, reason: str = "The publicity clearance reached its review date."
) -> AppealTakedown | None:
    """The live appeal's publicity ended: the same takedown, outcome "expired".

    The appeal stays open (still missing, no closed_at, so no retention purge starts) and
    any workflow under way stays, since it may be the renewal.
    """
    try:
        return _takedown_start(
            appeal=appeal,
            outcome=AppealTakedown.Outcome.EXPIRED,
            reason=reason,
            user=None,
            log_action="homeward.publicity.expired",
        )
    except AppealAlreadyClosed:
        return None


def appeals_expire_scheduled(*, now: datetime) -> list[AppealPage]:
    """Live appeals whose scheduled unpublishing (Wagtail's expiry date) has come: their
    publicity ends with the takedown, as at the end of a clearance. Wagtail's scheduled
    publishing would only unpublish them, which the model refuses (appeals.off_site)."""
    due = AppealPage.objects.live().filter(expire_at__lt=now)
    return [
        appeal
        for appeal in due
        if appeal_expire(appeal=appeal, reason="Its scheduled unpublishing date was reached.")
    ]


def scheduled_unpublishing_refuse(*, now: datetime) -> list[Page]:
    """Pages above live appeals whose scheduled unpublishing has come: it is cancelled (its
    date cleared, and logged). Unpublishing them would take appeals off the site without
    their takedown, so the model refuses it, and Wagtail's scheduled publishing would stop
    at that refusal every minute, holding up every other page's."""
    due = Page.objects.live().not_type(AppealPage).filter(expire_at__lt=now)
    refused = [page for page in due if unpublish_refusal(page)]
    for page in refused:
        Page.objects.filter(pk=page.pk).update(expire_at=None)
        log(
            instance=page,
            action="homeward.unpublishing.refused",
            data={"reason": "scheduled to be unpublished while it holds live appeals"},
        )
    return refused


@transaction.atomic
def _takedown_start(
    *,
    appeal: AppealPage,
    outcome: str,
    reason: str,
    user: AbstractBaseUser | None,
    log_action: str = "wagtail.unpublish",
) -> AppealTakedown:
    page = AppealPage.objects.select_for_update().get(pk=appeal.pk)
    existing = AppealTakedown.objects.select_for_update().filter(appeal=page).first()
    closing = outcome in CLOSING_OUTCOMES
    if page.is_closed or (
        existing and not (closing and existing.outcome == existing.Outcome.EXPIRED)
    ):
        raise AppealAlreadyClosed("This appeal is closed already.")
    now = timezone.now()
    # Closing an appeal that is down after expiry takes over its record and runs every
    # step again (all are safe to repeat): drafts since may have added photos.
    takedown, _ = AppealTakedown.objects.update_or_create(
        appeal=page,
        defaults={
            "police_force_id": page.police_force_id,
            "outcome": outcome,
            "reason": reason,
            "closed_by": user,
            "missing_since": page.missing_since,
            "first_published_at": page.first_published_at,
            "closed_at": now,
            "steps": {},
            "attempts": 0,
            "last_attempt_at": None,
            "last_error": "",
            "completed_at": None,
        },
    )
    if page.live:
        # Purges the page cache and the frontend cache after the commit (signal handlers).
        # Closing is the authority: a police officer holds no unpublish permission.
        UnpublishPageAction(page, user=user, log_action=log_action).execute(
            skip_permission_checks=True
        )
    if closing:
        AppealPage.objects.filter(pk=page.pk).update(status=outcome, closed_at=now)
        if page.current_workflow_state:
            page.current_workflow_state.cancel(user=user)
        log(instance=page, action="homeward.appeal.closed", user=user, data={"outcome": outcome})
    # The steps that touch only our own storage run right after the commit, so the photos
    # leave the public media before the closing request answers, whether or not the queue
    # is up; the CDN's purges, which may be slow, go to a worker (or the sweep).
    transaction.on_commit(partial(_takedown_run_here, takedown))
    return takedown


def _takedown_run_here(takedown: AppealTakedown) -> None:
    try:
        appeal_takedown_run(takedown_id=takedown.pk, steps=STEPS_RUN_AT_ONCE)
    except Exception:
        logger.exception("Takedown %s stopped; the sweep will run the rest", takedown.pk)
    _enqueue(takedown)


@transaction.atomic
def appeal_renewal_finish(*, appeal: AppealPage) -> bool:
    """A renewed clearance put the appeal live again after it expired: end its takedown.

    Its photos were published again just before (services.photos); the record is
    deleted, so that a later closing or expiry starts afresh, and the audit log keeps
    what it was. The fan-out that follows posts afresh, as takedown withdrew every post.
    True if it did.
    """
    page = AppealPage.objects.select_for_update().get(pk=appeal.pk)
    takedown = (
        AppealTakedown.objects.select_for_update()
        .filter(appeal=page, outcome=AppealTakedown.Outcome.EXPIRED)
        .first()
    )
    if takedown is None or not page.live or page.is_closed:
        return False
    log(
        instance=page,
        action="homeward.publicity.renewed",
        data={
            "taken_down_at": takedown.closed_at.isoformat(),
            "steps_done": sorted(takedown.steps),
        },
    )
    takedown.delete()
    return True


def _enqueue(takedown: AppealTakedown) -> None:
    from appeals import jobs

    enqueue_after_commit(jobs.appeal_takedown_run, {"takedown_id": takedown.pk})


def appeal_takedown_run(*, takedown_id: int, steps=tuple(AppealTakedown.Step)) -> bool:
    """Run the takedown's ``steps`` not yet done (all, unless told); True when every step
    of the takedown is. Safe to repeat.

    The run claims the takedown with a conditional UPDATE, so a second run finds it held
    and does nothing; no transaction is held open across storage and CDN calls. Each step
    is recorded (with what it did: the photos' addresses the CDN must forget) as soon as
    it is done, so a run that dies half-way loses nothing done; its claim lapses after
    TAKEDOWN_LEASE and the sweep runs the rest.
    """
    claim = _takedown_claim(takedown_id)
    if claim is None:
        return False  # done already, or another run holds it now
    takedown = AppealTakedown.objects.select_related("appeal").get(pk=takedown_id)
    errors = []
    for step in [step for step in takedown.steps_pending() if step in steps]:
        try:
            done = TAKEDOWN_STEPS[step](takedown)
        except Exception as error:
            logger.exception("Takedown %s: step %s failed; will retry", takedown.pk, step)
            errors.append(f"{AppealTakedown.Step(step).label}: {error}")
            continue
        takedown.steps, claim = _step_record(takedown_id, step, {"at": _now_iso(), **done}, claim)
        if claim is None:
            return False  # the lease ran out mid-step and another run took over
    with transaction.atomic():
        takedown = AppealTakedown.objects.select_for_update().get(pk=takedown_id)
        if takedown.claimed_at != claim:
            return False  # as above: the run that holds it now finishes it
        if set(steps) >= set(AppealTakedown.Step):
            takedown.attempts += 1  # what the backoff counts: whole runs, not closing's part
        takedown.last_error = "; ".join(errors)[:300]
        takedown.completed_at = None if takedown.steps_pending() else timezone.now()
        takedown.claimed_at = None
        takedown.save(update_fields=["attempts", "last_error", "completed_at", "claimed_at"])
    return takedown.completed_at is not None


def _takedown_claim(takedown_id: int) -> datetime | None:
    """Hold an unfinished takedown no live run holds; the time of the claim, or None."""
    now = timezone.now()
    claimed = (
        AppealTakedown.objects.filter(
            pk=takedown_id, completed_at__isnull=True, appeal__isnull=False
        )
        .filter(_unclaimed(now))
        .update(claimed_at=now, last_attempt_at=now)
    )
    return now if claimed else None


def _unclaimed(now: datetime) -> Q:
    return Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - TAKEDOWN_LEASE)


def _step_record(takedown_id: int, step: str, done: dict, claim: datetime):
    """Record one step as done, at once, in a transaction of its own, whoever holds the
    takedown now (what the step did must not be lost). Renew the claim if this run still
    holds it. Returns the steps done and the renewed claim, or None if it was taken over."""
    with transaction.atomic():
        takedown = AppealTakedown.objects.select_for_update().get(pk=takedown_id)
        takedown.steps[step] = done
        held = takedown.claimed_at == claim
        if held:
            takedown.claimed_at = timezone.now()
        takedown.save(update_fields=["steps", "claimed_at"])
    return takedown.steps, takedown.claimed_at if held else None


def _now_iso() -> str:
    return timezone.now().isoformat()


def takedowns_retry(*, now: datetime | None = None) -> int:
    """The sweep: run again every unfinished takedown whose backoff has passed and that no
    live run holds (a run that died holding one lets go after TAKEDOWN_LEASE)."""
    now = now or timezone.now()
    due = [
        takedown
        for takedown in AppealTakedown.objects.filter(_unclaimed(now), completed_at__isnull=True)
        .exclude(appeal=None)
        .only("pk", "attempts", "last_attempt_at")
        if takedown.last_attempt_at is None
        or takedown.last_attempt_at + _backoff(takedown.attempts) <= now
    ]
    with transaction.atomic():
        for takedown in due:
            _enqueue(takedown)
    return len(due)


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), RETRY_BACKOFF_MAX)


def takedown_retry(*, takedown: AppealTakedown, user: AbstractBaseUser) -> None:
    """Staff ask for an unfinished takedown to run again now (from the takedown report)."""
    if takedown.completed_at is not None or takedown.appeal is None:
        raise ValidationError("This takedown has nothing left to do.")
    with transaction.atomic():
        log(instance=takedown.appeal, action="homeward.appeal.takedown_retried", user=user)
        _enqueue(takedown)


# The steps. Each returns what it did (for the report) and is safe to run again.


def _media_withdraw(takedown: AppealTakedown) -> dict:
    """Out of the public media: every photo the appeal has shown that no other publicly
    visible appeal shows. Renditions are deleted; originals stay in the private store."""
    appeal = takedown.appeal
    return images_unpublish(
        images=images_not_shown_elsewhere(image_ids=images_shown_by(appeal), appeal=appeal)
    )


def _emails_cancel(takedown: AppealTakedown) -> dict:
    from newsletter.services import campaigns_withdraw_appeal

    return {"cancelled": campaigns_withdraw_appeal(appeal_id=takedown.appeal_id)}


def _social_withdraw(takedown: AppealTakedown) -> dict:
    # Deleting each post is its own job, retried until done (see the publicity record).
    from appeals.services.fanout import social_posts_withdraw

    social_posts_withdraw(appeal=takedown.appeal)
    return {}


def _search_forget(takedown: AppealTakedown) -> dict:
    """The page and its photos (whose titles name the person) leave the search index."""
    index.remove_object(takedown.appeal)
    for image in images_no_missing_appeal_shares(appeal=takedown.appeal):
        index.remove_object(image)
    return {}


def _caches_purge(takedown: AppealTakedown) -> dict:
    """The page cache, and the CDN's copies of the appeal's page, the pages that list it
    and its photos' addresses, where a CDN is configured.

    Unpublishing purged them too, from a queued task; this step is done only once the
    purges have been made and confirmed here, so a cache that was unreachable is retried.
    """
    if AppealTakedown.Step.MEDIA not in takedown.steps:
        raise RuntimeError("waiting for the photos step, whose addresses it purges")
    page_cache_purge(confirm=True)
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return {"frontend": False}
    batch = listing_purge_batch(takedown.appeal)
    batch.add_page(takedown.appeal)
    batch.add_urls(
        absolute_url(url)
        for url in takedown.steps.get(AppealTakedown.Step.MEDIA, {}).get("urls", [])
    )
    batch.add_urls(absolute_url(path) for path in takedown.appeal.cached_paths_elsewhere())
    purge_urls_from_cache_task.call(sorted(batch.urls))
    return {"frontend": True}


# What closing runs before it answers: everything but the CDN's purges.
STEPS_RUN_AT_ONCE = [
    AppealTakedown.Step.MEDIA,
    AppealTakedown.Step.EMAILS,
    AppealTakedown.Step.SOCIAL,
    AppealTakedown.Step.SEARCH,
]
TAKEDOWN_STEPS = {
    AppealTakedown.Step.MEDIA: _media_withdraw,
    AppealTakedown.Step.EMAILS: _emails_cancel,
    AppealTakedown.Step.SOCIAL: _social_withdraw,
    AppealTakedown.Step.SEARCH: _search_forget,
    AppealTakedown.Step.CACHES: _caches_purge,
}
