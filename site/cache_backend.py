"""Redis as a cache that may go away: an unreachable Redis is a cache miss, not a 500.

Every public page passes through the page cache, so with Django's own Redis backend a
Redis outage answered every page with an error. Here reads find nothing and writes are
dropped while Redis does not answer; pages are served from the database meanwhile. After
a failure this process stops asking for a moment, so a Redis that hangs costs a request
one timeout, not one per cache call. Code that must know a write landed (a takedown's
purge) reads it back: see page_cache_purge.
"""

import logging
import time
from functools import wraps

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

from homeward.redis import FailureMemory

logger = logging.getLogger(__name__)

# After a failure, how long this process answers without asking Redis.
unreachable = FailureMemory(pause_seconds=2.0)
# One warning per process at most this often: an outage must not flood the logs.
WARNING_INTERVAL_SECONDS = 10.0
_last = {"warning": -WARNING_INTERVAL_SECONDS}


def _unreachable(error: RedisError) -> None:
    unreachable.failed()
    now = time.monotonic()
    if now - _last["warning"] >= WARNING_INTERVAL_SECONDS:
        _last["warning"] = now
        logger.warning("Cache unreachable, serving without it: %s", error)


def _fail_soft(method, answer_when_unreachable):
    """``method``, answering ``answer_when_unreachable(*its arguments)`` on a Redis error,
    and without asking Redis for a moment after one."""

    @wraps(method)
    def guarded(self, *args):
        if unreachable.resting():
            return answer_when_unreachable(*args)
        try:
            return method(self, *args)
        except RedisError as error:
            _unreachable(error)
            return answer_when_unreachable(*args)

    return guarded


def _nothing(*args):
    return None


def _no(*args):
    return False


class FailSoftRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        # Django builds a redis.Redis for every call, and building one (its response
        # callbacks) costs more than the round trip it makes: each pool's is kept.
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    get = _fail_soft(RedisCacheClient.get, lambda key, default: default)
    get_many = _fail_soft(RedisCacheClient.get_many, lambda keys: {})
    has_key = _fail_soft(RedisCacheClient.has_key, _no)
    add = _fail_soft(RedisCacheClient.add, _no)
    touch = _fail_soft(RedisCacheClient.touch, _no)
    delete = _fail_soft(RedisCacheClient.delete, _no)
    set = _fail_soft(RedisCacheClient.set, _nothing)
    set_many = _fail_soft(RedisCacheClient.set_many, _nothing)
    delete_many = _fail_soft(RedisCacheClient.delete_many, _nothing)


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailSoftRedisCacheClient
