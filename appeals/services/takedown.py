"""Taking an appeal down everywhere, quietly: every surface it reached, step by step.

Closing (appeals.services.closing) starts a takedown. Right after the commit, in the same
request, photos and renditions leave the public media, unsent emails are cancelled, social
posts are deleted and the search index forgets the page; a job then purges the caches (the
CDN may be slow). Each step is recorded as it completes, under a claim
(appeal_takedown_run). A step that fails does not stop the others; the sweep runs the
takedown again, with backoff, until every step is done. Nothing announces the outcome.

Steps that belong to other apps (the Heroes emails) are registered through
appeals.lifecycle_hooks; the report names every step of AppealTakedown.Step.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task
from wagtail.log_actions import log
from wagtail.search import index

from appeals import jobs
from appeals.lifecycle_hooks import takedown_steps_registered
from appeals.models import AppealPage, AppealTakedown
from appeals.services.photos import (
    images_no_missing_appeal_shares,
    images_not_shown_elsewhere,
    images_shown_by,
    images_unpublish,
)
from appeals.services.social_posts import social_posts_withdraw
from appeals.services.statistics import episode_statistic_takedown_done
from homeward.claims import backoff, unclaimed
from homeward.frontend_cache import listing_purge_batch
from homeward.jobs import enqueue_after_commit
from homeward.links import absolute_url
from homeward.page_cache import page_cache_purge

logger = logging.getLogger(__name__)

# A takedown with steps left is run again after 1, 2, 4 … minutes, then hourly.
RETRY_FIRST, RETRY_LONGEST = timedelta(minutes=1), timedelta(hours=1)
# A run holds its takedown this long past its last recorded step; longer than any one
# step takes (the CDN's purges time out well within it).
TAKEDOWN_LEASE = timedelta(minutes=5)


def takedown_run_at_once(*, takedown: AppealTakedown) -> None:
    """What closing runs before it answers, after its commit: every step but the CDN's
    purges, here, whether or not the queue is up; the rest goes to a worker (or the sweep)."""
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
    clearing = takedown_steps()
    for step in [step for step in takedown.steps_pending() if step in steps]:
        clear = clearing.get(step, _nothing_clears)
        try:
            done = clear(takedown)
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
        if takedown.completed_at is not None:
            episode_statistic_takedown_done(takedown=takedown)
    return takedown.completed_at is not None


def _takedown_claim(takedown_id: int) -> datetime | None:
    """Hold an unfinished takedown no live run holds; the time of the claim, or None."""
    now = timezone.now()
    claimed = (
        AppealTakedown.objects.filter(
            pk=takedown_id, completed_at__isnull=True, appeal__isnull=False
        )
        .filter(unclaimed(now=now, lease=TAKEDOWN_LEASE))
        .update(claimed_at=now, last_attempt_at=now)
    )
    return now if claimed else None


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


def takedowns_sweep(*, now: datetime | None = None) -> int:
    """The sweep: run again every unfinished takedown whose backoff has passed and that no
    live run holds (a run that died holding one lets go after TAKEDOWN_LEASE)."""
    now = now or timezone.now()
    due = [
        takedown
        for takedown in AppealTakedown.objects.filter(
            unclaimed(now=now, lease=TAKEDOWN_LEASE), completed_at__isnull=True
        )
        .exclude(appeal=None)
        .only("pk", "attempts", "last_attempt_at")
        if takedown.last_attempt_at is None
        or takedown.last_attempt_at
        + backoff(takedown.attempts, first=RETRY_FIRST, factor=2, longest=RETRY_LONGEST)
        <= now
    ]
    with transaction.atomic():
        for takedown in due:
            _enqueue(takedown)
    return len(due)


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


def _social_withdraw(takedown: AppealTakedown) -> dict:
    # Deleting each post is its own job, retried until done (see the publicity record).
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
    batch = listing_purge_batch(takedown.appeal)  # the page itself, in every language
    batch.add_urls(
        absolute_url(url)
        for url in takedown.steps.get(AppealTakedown.Step.MEDIA, {}).get("urls", [])
    )
    purge_urls_from_cache_task.call(sorted(batch.urls))
    return {"frontend": True}


# What closing runs before it answers: everything but the CDN's purges.
STEPS_RUN_AT_ONCE = [
    AppealTakedown.Step.MEDIA,
    AppealTakedown.Step.EMAILS,
    AppealTakedown.Step.SOCIAL,
    AppealTakedown.Step.SEARCH,
    AppealTakedown.Step.PARTNERS,
]
OWN_STEPS = {
    AppealTakedown.Step.MEDIA: _media_withdraw,
    AppealTakedown.Step.SOCIAL: _social_withdraw,
    AppealTakedown.Step.SEARCH: _search_forget,
    AppealTakedown.Step.CACHES: _caches_purge,
}


def takedown_steps() -> dict[str, Callable[[AppealTakedown], dict]]:
    """How each step is cleared: appeals' own, and those other apps register."""
    return {**takedown_steps_registered(), **OWN_STEPS}


def _nothing_clears(takedown: AppealTakedown) -> dict:
    raise RuntimeError("nothing is registered to clear this step")
