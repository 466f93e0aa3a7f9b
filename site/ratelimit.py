"""A fixed-window rate limit per client, shared by every web worker through Redis.

When Redis is not configured, or does not answer, each process counts for itself. That
is a deliberate choice for sightings: a report of someone seen minutes ago must never be
lost because the limiter's store is down, so the limiter fails open to a per-process
count and logs it, and the form's other defences still apply.
"""

import hashlib
import logging
import threading
import time

import redis
from django.conf import settings
from django.http import HttpRequest

from homeward.redis import redis_client, redis_key

logger = logging.getLogger(__name__)

_local_counts: dict[str, tuple[int, int]] = {}
_local_lock = threading.Lock()


def client_address(request: HttpRequest) -> str:
    """The address a request came from. Behind a load balancer, NUM_PROXIES says how many
    addresses at the end of X-Forwarded-For were added by our own proxies."""
    address = request.META.get("REMOTE_ADDR", "")
    if settings.NUM_PROXIES:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        if len(forwarded) >= settings.NUM_PROXIES:
            address = forwarded[-settings.NUM_PROXIES]
    return address


def client_key(request: HttpRequest) -> str:
    """Who is asking, as a hash: the address itself is never stored."""
    address = client_address(request)
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:24]


def rate_limit_exceeded(*, scope: str, key: str, limit: int, window: int) -> bool:
    """Count one more attempt; True when there have been more than ``limit`` in the window."""
    return rate_limit_count(scope=scope, key=key, window=window) > limit


def rate_limit_reached(*, scope: str, key: str, limit: int, window: int) -> bool:
    """True when ``limit`` have already been counted in the window. Counts nothing: for
    limits on what was done (a report stored), checked before and counted after.

    Check and count are not one step: two requests at once may both pass at the edge of
    the limit, which is one more than the limit, never a lost report.
    """
    bucket = _bucket(scope, key, window)
    if settings.REDIS_URL:
        try:
            return int(redis_client(settings.REDIS_URL).get(bucket) or 0) >= limit
        except redis.RedisError:
            logger.warning("Rate limit store unreachable: counting in this process")
    return _local_read(bucket) >= limit


def rate_limit_count(*, scope: str, key: str, window: int) -> int:
    """Count one more in the window; the count so far."""
    bucket = _bucket(scope, key, window)
    if settings.REDIS_URL:
        try:
            return _redis_count(bucket, window)
        except redis.RedisError:
            logger.warning("Rate limit store unreachable: counting in this process")
    return _local_count(bucket, window)


def _bucket(scope: str, key: str, window: int) -> str:
    return redis_key("ratelimit", scope, key, str(int(time.time()) // window))


def _redis_count(bucket: str, window: int) -> int:
    # No MULTI/EXEC: a count off by one at the edge of a window does not matter.
    pipeline = redis_client(settings.REDIS_URL).pipeline(transaction=False)
    pipeline.incr(bucket)
    pipeline.expire(bucket, window)
    return pipeline.execute()[0]


def _local_read(bucket: str) -> int:
    with _local_lock:
        count, expires = _local_counts.get(bucket, (0, 0))
        return count if expires >= int(time.time()) else 0


def _local_count(bucket: str, window: int) -> int:
    now = int(time.time())
    with _local_lock:
        for stale in [key for key, (_, expires) in _local_counts.items() if expires < now]:
            del _local_counts[stale]
        count, expires = _local_counts.get(bucket, (0, now + window))
        _local_counts[bucket] = (count + 1, expires)
        return count + 1
