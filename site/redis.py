"""One Redis client per URL, with short timeouts and one quick retry: a slow or missing
Redis must not hold up a request."""

import redis
from django.conf import settings

_clients: dict[str, redis.Redis] = {}


def redis_client(url: str) -> redis.Redis:
    client = _clients.get(url)
    if client is None:
        client = redis.Redis.from_url(url, **settings.REDIS_CLIENT_OPTIONS)
        _clients[url] = client
    return client


def redis_key(*parts: str) -> str:
    """A key of ours in the shared Redis, under the cache's prefix (each test run has its own)."""
    return ":".join([settings.CACHES["default"].get("KEY_PREFIX", ""), *parts])
