"""The social posts' ledger: each appeal's post on each channel, made once and deleted
when the appeal comes down.

Posts follow the Heroes ledger: a job claims a post from ``queued`` into ``posting`` with
one conditional UPDATE (homeward.claims), so a replayed or parallel job finds nothing to
claim, and only the claimer records the outcome. A rate limit puts the post back for the
time the network gave, a temporary error for a backoff (a few attempts, then ``failed``), a
refusal (bad credentials) fails it at once; each waits in RQ's scheduled registry, never
in a sleeping worker, and the recurring sweep picks up whatever a lost job or a dead worker
left. Deleting (takedown) is the same, and keeps trying until the post is gone.
"""

import logging
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from wagtail.log_actions import log

from appeals import jobs
from appeals.channels import channel_class
from appeals.channels.base import ChannelError, ChannelRefused, RateLimited
from appeals.models import AppealPage, SocialPost
from homeward.claims import JOB_LOST_AFTER, backoff, new_claim
from homeward.jobs import enqueue_after_commit, enqueue_at_after_commit

logger = logging.getLogger(__name__)

Status, Deletion = SocialPost.Status, SocialPost.Deletion

# Posting: tried this many times in all (1, 4, 16, 64 minutes apart), then failed.
MAX_ATTEMPTS = 5
BACKOFF = timedelta(minutes=1)
# Deleting never gives up on a temporary error; it tries at least hourly.
LONGEST_BACKOFF = timedelta(hours=1)
# A post takes seconds; a claim this old belongs to a worker that died.
STALE_CLAIM_AFTER = timedelta(minutes=15)
# A post cut off mid-request on a network that may then have made it twice.
INTERRUPTED = (
    "Interrupted while posting: check the channel for the post, and retry only if it is not there."
)


def social_post_send(*, post_id: int) -> SocialPost | None:
    """Make one post, if it is queued and due. None if there was nothing to claim."""
    now = timezone.now()
    claimed = _claim(
        post_id,
        now=now,
        where={"status": Status.QUEUED, "deletion": Deletion.NOT_ASKED},
        into={"status": Status.POSTING},
    )
    if claimed is None:
        return None
    post, mine = claimed
    appeal = AppealPage.objects.publicly_visible().filter(pk=post.appeal_id).first()
    if appeal is None:
        mine.update(status=Status.CANCELLED, error="The appeal is no longer public.")
        return post
    channel = _channel(post)
    if channel is None:
        mine.update(status=Status.FAILED, error=_switched_off(post))
        return post
    try:
        reference = channel.post(appeal, key=f"homeward-post-{post.pk}")
    except RateLimited as error:
        # Waiting out a rate limit is not an attempt.
        _post_again(post, mine, when=error.retry_at, error=error, attempts=F("attempts") - 1)
    except ChannelRefused as error:
        mine.update(status=Status.FAILED, error=str(error)[:300])
    except ChannelError as error:
        logger.warning("Post %s to %s failed: %s", post.pk, post.channel, error)
        if post.attempts >= MAX_ATTEMPTS:
            mine.update(status=Status.FAILED, error=_error_text(error))
        else:
            _post_again(post, mine, when=now + _backoff(post.attempts), error=error)
    except Exception as error:
        # Cut off mid-request (a timeout, the job's time limit): the post may exist.
        logger.warning("Post %s to %s interrupted: %s", post.pk, post.channel, error)
        if channel.refuses_replays and post.attempts < MAX_ATTEMPTS:
            _post_again(post, mine, when=now + _backoff(post.attempts), error=error)
        else:
            mine.update(status=Status.FAILED, error=INTERRUPTED)
    else:
        mine.update(
            status=Status.POSTED,
            reference=reference.id,
            url=reference.url,
            posted_at=timezone.now(),
            retry_at=None,
            error="",
        )
        # Taken down while it was being posted: delete it now that it exists.
        if SocialPost.objects.filter(pk=post.pk, deletion=Deletion.QUEUED).exists():
            enqueue_after_commit(jobs.social_post_delete, {"post_id": post.pk})
    post.refresh_from_db()
    return post


def _post_again(post, mine, *, when: datetime, error: Exception, **change) -> None:
    """Queue a claimed post for another try at ``when``, unless a takedown asked for it
    meanwhile: a post not made by then is never made."""
    mine.exclude(deletion=Deletion.NOT_ASKED).update(
        status=Status.CANCELLED,
        deletion=Deletion.NOT_ASKED,
        error="Withdrawn before it was posted.",
    )
    if mine.update(status=Status.QUEUED, retry_at=when, error=_error_text(error), **change):
        enqueue_at_after_commit(jobs.social_post_send, when, post_id=post.pk)


def social_posts_withdraw(*, appeal: AppealPage) -> None:
    """Takedown: delete every post of this appeal on every channel (after commit, in jobs,
    retried with backoff until done; failures recorded and shown to staff); posts not yet
    made are cancelled and never made. Idempotent."""
    now = timezone.now()
    posts = SocialPost.objects.filter(appeal=appeal)
    with transaction.atomic():
        posts.filter(withdrawn_at__isnull=True).update(withdrawn_at=now)
        posts.filter(status__in=[Status.QUEUED, Status.FAILED]).update(
            status=Status.CANCELLED, retry_at=None, error="Withdrawn before it was posted."
        )
        # Posts being made right now are deleted by their own job once they exist.
        to_delete = posts.filter(
            status__in=[Status.POSTED, Status.POSTING],
            deletion__in=[Deletion.NOT_ASKED, Deletion.FAILED],
        )
        to_delete.update(
            deletion=Deletion.QUEUED, deletion_asked_at=now, attempts=0, retry_at=None, error=""
        )
        # Read after the update: a post whose job has just recorded it as made is deleted
        # here, or, if it is still being made, by its own job once it exists.
        posted = list(
            posts.filter(
                status=Status.POSTED, deletion=Deletion.QUEUED, deletion_asked_at=now
            ).values_list("pk", flat=True)
        )
        if posted:
            enqueue_after_commit(jobs.social_post_delete, *[{"post_id": pk} for pk in posted])


def social_post_delete(*, post_id: int) -> SocialPost | None:
    """Delete one post from its channel, if its deletion is queued and due."""
    now = timezone.now()
    claimed = _claim(
        post_id,
        now=now,
        where={"status": Status.POSTED, "deletion": Deletion.QUEUED},
        into={"deletion": Deletion.DELETING},
    )
    if claimed is None:
        return None
    post, mine = claimed
    channel = _channel(post)
    if channel is None:
        mine.update(deletion=Deletion.FAILED, error=_switched_off(post))
        return post
    try:
        channel.delete(post.reference)
    except RateLimited as error:
        mine.update(
            deletion=Deletion.QUEUED,
            retry_at=error.retry_at,
            attempts=F("attempts") - 1,
            error=_error_text(error),
        )
        enqueue_at_after_commit(jobs.social_post_delete, error.retry_at, post_id=post.pk)
    except ChannelRefused as error:
        mine.update(deletion=Deletion.FAILED, error=str(error)[:300])
    except Exception as error:
        logger.warning("Deleting post %s from %s failed: %s", post.pk, post.channel, error)
        when = now + _backoff(post.attempts)
        mine.update(deletion=Deletion.QUEUED, retry_at=when, error=_error_text(error))
        enqueue_at_after_commit(jobs.social_post_delete, when, post_id=post.pk)
    else:
        mine.update(deletion=Deletion.DELETED, deleted_at=timezone.now(), retry_at=None, error="")
    post.refresh_from_db()
    return post


def social_post_retry(*, post: SocialPost, user: AbstractBaseUser) -> SocialPost:
    """Staff try a failed post, or a failed deletion, again from the start."""
    fresh = {"attempts": 0, "retry_at": None, "error": ""}
    with transaction.atomic():
        post = SocialPost.objects.select_for_update().get(pk=post.pk)
        if post.can_retry_post:
            if not AppealPage.objects.publicly_visible().filter(pk=post.appeal_id).exists():
                raise ValidationError("The appeal is not public: it cannot be posted.")
            SocialPost.objects.filter(pk=post.pk).update(status=Status.QUEUED, **fresh)
            enqueue_after_commit(jobs.social_post_send, {"post_id": post.pk})
        elif post.can_retry_deletion:
            SocialPost.objects.filter(pk=post.pk).update(deletion=Deletion.QUEUED, **fresh)
            enqueue_after_commit(jobs.social_post_delete, {"post_id": post.pk})
        else:
            raise ValidationError("Only a failed post or a failed deletion can be tried again.")
        log(instance=post.appeal, action="homeward.social.retried", user=user, data=_about(post))
    post.refresh_from_db()
    return post


def social_post_cancel(*, post: SocialPost, user: AbstractBaseUser) -> SocialPost:
    """Staff stop a post that has not been made: it never will be."""
    with transaction.atomic():
        post = SocialPost.objects.select_for_update().get(pk=post.pk)
        if not post.can_cancel:
            raise ValidationError("Only a post that has not been made can be cancelled.")
        SocialPost.objects.filter(pk=post.pk).update(
            status=Status.CANCELLED, retry_at=None, error="Cancelled by staff."
        )
        log(instance=post.appeal, action="homeward.social.cancelled", user=user, data=_about(post))
    post.refresh_from_db()
    return post


def social_posts_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Pick up what a lost job or a dead worker left: run every minute, safe to repeat.

    A post whose worker died mid-request may or may not exist on the network. Where the
    network refuses a repeat of the same post (Mastodon's idempotency key) it is simply
    tried again; elsewhere (X) it fails, for staff to look and retry, rather than risk
    posting twice. A deletion is always safe to repeat.
    """
    now = now or timezone.now()
    stale = Q(claimed_at__lt=now - STALE_CLAIM_AFTER)
    interrupted = 0
    for post in SocialPost.objects.filter(stale, status=Status.POSTING):
        kind = channel_class(post.channel)
        if post.deletion == Deletion.NOT_ASKED and kind is not None and kind.refuses_replays:
            change = {"status": Status.QUEUED, "retry_at": None}
        else:
            change = {"status": Status.FAILED, "error": INTERRUPTED}
            if post.deletion != Deletion.NOT_ASKED:
                change["deletion"] = Deletion.FAILED
        interrupted += SocialPost.objects.filter(
            pk=post.pk, claim=post.claim, status=Status.POSTING
        ).update(**change)
    interrupted += SocialPost.objects.filter(stale, deletion=Deletion.DELETING).update(
        deletion=Deletion.QUEUED, retry_at=None
    )

    to_send = list(
        SocialPost.objects.filter(status=Status.QUEUED, deletion=Deletion.NOT_ASKED)
        .filter(Q(retry_at__lte=now) | Q(retry_at=None, created_at__lt=now - JOB_LOST_AFTER))
        .values_list("pk", flat=True)
    )
    to_delete = list(
        SocialPost.objects.filter(status=Status.POSTED, deletion=Deletion.QUEUED)
        .filter(Q(retry_at__lte=now) | Q(retry_at=None, deletion_asked_at__lt=now - JOB_LOST_AFTER))
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        if to_send:
            enqueue_after_commit(jobs.social_post_send, *[{"post_id": pk} for pk in to_send])
        if to_delete:
            enqueue_after_commit(jobs.social_post_delete, *[{"post_id": pk} for pk in to_delete])
    return {"interrupted": interrupted, "posts": len(to_send), "deletions": len(to_delete)}


def _claim(post_id: int, *, now: datetime, where: dict, into: dict):
    """Claim a post for one step, from the one state it may start from: (post, the
    queryset of it as this job holds it), or None if another job has it or it is not due."""
    claim = new_claim()
    if not (
        SocialPost.objects.filter(_due(now), pk=post_id, **where).update(
            claim=claim, claimed_at=now, attempts=F("attempts") + 1, **into
        )
    ):
        return None
    return SocialPost.objects.get(pk=post_id), SocialPost.objects.filter(
        pk=post_id, claim=claim, **into
    )


def _due(now: datetime) -> Q:
    return Q(retry_at__isnull=True) | Q(retry_at__lte=now)


def _backoff(attempts: int) -> timedelta:
    return backoff(attempts, first=BACKOFF, factor=4, longest=LONGEST_BACKOFF)


def _channel(post: SocialPost):
    kind = channel_class(post.channel)
    return kind.from_settings() if kind is not None else None


def _switched_off(post: SocialPost) -> str:
    kind = channel_class(post.channel)
    if kind is None:
        return f"No channel called {post.channel!r} any more."
    return f"{kind.label} is {kind.not_connected()}."


def _error_text(error: Exception) -> str:
    return (str(error) or type(error).__name__)[:300]


def _about(post: SocialPost) -> dict:
    return {"post_id": post.pk, "channel": post.channel, "reference": post.reference}
