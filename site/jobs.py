"""Queueing background work: after the database commits, on RQ when Redis is configured."""

import logging
from collections.abc import Callable
from datetime import datetime

import django_rq
from django.conf import settings
from django.db import transaction
from redis.exceptions import RedisError
from rq import Queue

from homeward.redis import FailureMemory, redis_client, redis_key

logger = logging.getLogger(__name__)

# After Redis failed to take a job, how long jobs are left to the sweeps without asking it.
unreachable = FailureMemory(pause_seconds=2.0)

# How long a drain job, once queued, stands for every item that joins its batch.
BATCH_DRAIN_CLAIM_SECONDS = 60
BATCH_DRAIN_CHUNK = 100


def enqueue_after_commit(func: Callable[..., object], *calls: dict) -> None:
    """Run ``func(**call)`` for each call in a worker, once the current transaction commits.

    All the calls go to RQ in one round trip. Without REDIS_URL they run in this process.
    If Redis is unreachable they are logged and dropped here: the work each job does is
    found again by a recurring sweep (see homeward/cron.py).
    """

    def enqueue() -> None:
        if not settings.REDIS_URL:
            for call in calls:
                _run_here(func, **call)
            return
        _send_or_leave_for_the_sweep(
            lambda: _queue().enqueue_many(
                [Queue.prepare_data(func, kwargs=call) for call in calls]
            ),
            f"{len(calls)} calls of {func.__name__}",
        )

    transaction.on_commit(enqueue)


def enqueue_at_after_commit(func: Callable[..., object], when: datetime, **call) -> None:
    """Run ``func(**call)`` in a worker at ``when``, once the current transaction commits.

    For waiting out a rate limit or a backoff: the job sits in RQ's scheduled registry,
    which workers started with ``--with-scheduler`` move to the queue when it is due, so
    no worker sleeps. Without REDIS_URL, or if Redis is unreachable, nothing is queued:
    the work must also be found again by a recurring sweep when it is due.
    """

    def schedule() -> None:
        if not settings.REDIS_URL:
            return
        _send_or_leave_for_the_sweep(
            lambda: _queue().enqueue_at(when, func, **call), f"{func.__name__} at {when}"
        )

    transaction.on_commit(schedule)


def enqueue_batched_after_commit(func: Callable[[int], object], item: int, *, batch: str) -> None:
    """Run ``func(item)`` in a worker once the current transaction commits, in a batch.

    For work that arrives in floods (a viral appeal's sightings): the item joins a Redis
    list, and one drain job works through the whole list, so a flood costs one Redis
    round trip per item instead of one RQ job each. Without REDIS_URL it runs in this
    process instead. If Redis is unreachable the item is logged and dropped here: every
    batched job's work is also found again by a recurring sweep (see homeward/cron.py),
    so nothing waits on the queue being up.
    """

    def push() -> None:
        if not settings.REDIS_URL:
            _run_here(func, item)
            return

        def send() -> None:
            pipeline = redis_client(settings.REDIS_URL).pipeline(transaction=False)
            pipeline.rpush(redis_key("batch", batch), item)
            pipeline.set(
                redis_key("batch", batch, "drain-queued"),
                1,
                nx=True,
                ex=BATCH_DRAIN_CLAIM_SECONDS,
            )
            _, drain_needed = pipeline.execute()
            if drain_needed:
                _queue().enqueue(batch_drain, batch, func)

        _send_or_leave_for_the_sweep(send, func.__name__)

    transaction.on_commit(push)


def batch_drain(batch: str, func: Callable[[int], object]) -> int:
    """The job behind ``enqueue_batched_after_commit``: ``func`` for every item waiting.

    The claim is released first, so an item pushed while this runs queues another drain
    rather than being missed. Items are popped before they are worked: a worker killed
    mid-batch loses them here, and the sweep behind every batched job finds them again.
    """
    client = redis_client(settings.REDIS_URL)
    client.delete(redis_key("batch", batch, "drain-queued"))
    done = 0
    while items := client.lpop(redis_key("batch", batch), BATCH_DRAIN_CHUNK):
        for item in items:
            _run_here(func, int(item))
            done += 1
    return done


def _send_or_leave_for_the_sweep(send: Callable[[], object], what: str) -> None:
    """``send`` to Redis; if Redis does not answer, or did not a moment ago (a Redis that
    hangs must cost a request one timeout, not one per job), leave ``what`` to the sweep."""
    if not unreachable.resting():
        try:
            send()
            return
        except RedisError:
            unreachable.failed()
    logger.warning("Queue unreachable: %s left for the sweep", what)


def _queue() -> Queue:
    # "auto": we are already after the commit; enqueue now, inside the caller's try.
    return django_rq.get_queue(
        "default", connection=redis_client(settings.REDIS_URL), commit_mode="auto"
    )


def _run_here(func: Callable, *args, **kwargs) -> None:
    try:
        func(*args, **kwargs)
    except Exception:
        logger.exception("Job %s failed here; the sweep will retry", func.__name__)
