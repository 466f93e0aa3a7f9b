"""One Redis client per URL, with short timeouts and one quick retry: a slow or missing
Redis must not hold up a request."""

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


def redis_client(url: str) -> redis.Redis:
    client = _clients.get(url)
    if client is None:
        client = redis.Redis.from_url(url, **CLIENT_OPTIONS)
        _clients[url] = client
    return client


def redis_key(*parts: str) -> str:
    """A key of ours in the shared Redis, under the cache's prefix (each test run has its own)."""
    return ":".join([settings.CACHES["default"].get("KEY_PREFIX", ""), *parts])
