"""Queueing background work: after the database commits, on RQ when Redis is configured."""

import logging
from collections.abc import Callable

import django_rq
from django.conf import settings
from django.db import transaction
from redis.exceptions import RedisError

from homeward.redis import redis_client

logger = logging.getLogger(__name__)


def enqueue_after_commit(func: Callable, *args, **kwargs) -> None:
    """Run ``func`` in a worker once the current transaction commits.

    Without REDIS_URL it runs in this process instead. If the queue is unreachable the
    job is logged and dropped here: every job's work is also found again by a recurring
    sweep (see homeward/cron.py), so nothing waits on the queue being up.
    """

    def enqueue() -> None:
        if not settings.REDIS_URL:
            try:
                func(*args, **kwargs)
            except Exception:
                logger.exception("In-process job %s failed; the sweep will retry", func)
            return
        try:
            # "auto": we are already after the commit; enqueue now, inside this try.
            queue = django_rq.get_queue(
                "default", connection=redis_client(settings.REDIS_URL), commit_mode="auto"
            )
            queue.enqueue(func, *args, **kwargs)
        except RedisError:
            logger.warning("Queue unreachable: %s left for the sweep", func.__name__)

    transaction.on_commit(enqueue)
