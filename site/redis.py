"""One Redis client per URL, with short timeouts and one quick retry: a slow or missing
Redis must not hold up a request."""

import math
import time

import redis
from django.conf import settings
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.retry import Retry

# Redis answers in milliseconds or not at all: wait a second at most, and try once more at
# once only when a connection was refused or dropped (a stale pooled connection after a
# restart), then get on without it. redis-py would otherwise retry ten times with backoff.
# The cache and the queues' connections use the same options (settings.py).
CLIENT_OPTIONS = {
    "socket_connect_timeout": 0.5,
    "socket_timeout": 1.0,
    "retry": Retry(NoBackoff(), retries=1, supported_errors=(RedisConnectionError,)),
}

_clients: dict[str, redis.Redis] = {}


class FailureMemory:
    """When Redis last failed to answer one use of it in this process, so that the use
    gets on without Redis for a moment after: a Redis that hangs then costs a request one
    timeout, not one per call."""

    def __init__(self, *, pause_seconds: float):
        self.pause_seconds = pause_seconds
        self.failed_at = -math.inf

    def failed(self) -> None:
        self.failed_at = time.monotonic()

    def resting(self) -> bool:
        return time.monotonic() - self.failed_at < self.pause_seconds


def redis_client(url: str) -> redis.Redis:
    client = _clients.get(url)
    if client is None:
        client = redis.Redis.from_url(url, **CLIENT_OPTIONS)
        _clients[url] = client
    return client


def redis_key(*parts: str) -> str:
    """A key of ours in the shared Redis, under the cache's prefix (each test run has its own)."""
    return ":".join([settings.CACHES["default"].get("KEY_PREFIX", ""), *parts])
