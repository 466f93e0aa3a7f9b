"""Who is asking the partners' API, whether they may, and the log of what they asked.

Every request names its key as ``Authorization: Bearer <key>``. A key that is unknown,
revoked or past its rotation's end is refused (401); one over its rate limit is told when
to come back (429); one asking for what its partner may not receive is refused (403).
Every request a known key makes is logged, whatever the answer, by the middleware here:
appended to a Redis list that a job moves into the database each minute
(services/partner_accesses.py), so that a partner's poll costs no database write. Without
Redis, or when it does not answer, the row is written at once: the log is never lost.
"""

import hashlib
import json
import logging
import time

import redis
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from homeward.page_cache import GENERATION_KEY
from homeward.redis import redis_client, redis_key
from newsletter.models import PartnerAccess
from newsletter.partner_keys import Grant, grant_and_cached

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
RATE_WINDOW = 60  # seconds: keys' limits are per minute


class KeyRefused(Exception):
    """The request's key may not do this: ``status`` says why (401, 403, 429)."""

    def __init__(self, status: int, detail: str, *, retry_after: int | None = None):
        super().__init__(detail)
        self.status, self.detail, self.retry_after = status, detail, retry_after


def bearer_key(request: HttpRequest) -> str:
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    return key.strip() if scheme.lower() == "bearer" else ""


def answer_cache_key(digest: str, request: HttpRequest) -> str:
    """Where a key's answer to this query is cached: each key's answers are its own."""
    query = f"{digest}|{request.get_full_path()}".encode()
    return "partner-api:" + hashlib.sha256(query).hexdigest()


def partner_admit(request: HttpRequest, *, briefings: bool = False) -> Grant:
    """The grant of the request's key, counted against its rate limit; or KeyRefused.

    The cache's answer to the request (and the page cache's generation it was made under)
    are read with the grant, and kept on the request for the view.
    """
    request.partner_answer_key = None
    grant, request.partner_cached = grant_and_cached(
        bearer_key(request), also=lambda digest: _request_keys(request, digest)
    )
    if grant is None:
        raise KeyRefused(401, "Give a valid API key: Authorization: Bearer <key>.")
    request.partner_grant = grant  # for the access log, whatever the answer
    # Counted with the access log, once answered: check, then count, as the limit on
    # sightings does; two requests at once at the edge may both pass.
    if request.partner_cached.get(request.partner_rate_key, 0) >= grant.requests_per_minute:
        retry_after = RATE_WINDOW - int(timezone.now().timestamp()) % RATE_WINDOW
        raise KeyRefused(429, "Too many requests for this key.", retry_after=retry_after)
    if briefings and not grant.briefings:
        raise KeyRefused(403, "This key may not read restricted briefings.")
    if not briefings and not grant.public_appeals:
        raise KeyRefused(403, "This key's partner does not receive public appeals.")
    return grant


def _request_keys(request: HttpRequest, digest: str) -> tuple[str, str, str]:
    """What the cache holds for this request: the page cache's generation, the key's
    answer to it, and the key's count of requests this minute."""
    request.partner_answer_key = answer_cache_key(digest, request)
    window = int(time.time()) // RATE_WINDOW
    request.partner_rate_key = f"partner-rate:{digest[:32]}:{window}"
    return GENERATION_KEY, request.partner_answer_key, request.partner_rate_key


class PartnerAccessLogMiddleware:
    """Logs each request a partner's key made, with the answer it got."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        grant = getattr(request, "partner_grant", None)
        if grant is not None and request.path.startswith(API_PREFIX):
            access_record(
                grant=grant,
                endpoint=request.path,
                status=response.status_code,
                rate_key=request.partner_rate_key,
            )
        return response


def access_buffer_key() -> str:
    return redis_key("partner-access")


def access_record(*, grant: Grant, endpoint: str, status: int, rate_key: str) -> None:
    """Count the request against the key's limit and log it: one round trip to Redis."""
    endpoint = endpoint[: PartnerAccess._meta.get_field("endpoint").max_length]
    if settings.REDIS_URL:
        row = [grant.partner_id, grant.key_id, time.time(), endpoint, status]
        # The count is the cache's own entry (an integer, which Django's Redis cache
        # keeps as it is), so that the next request reads it with its grant.
        counter = cache.make_and_validate_key(rate_key)
        pipeline = redis_client(settings.REDIS_URL).pipeline(transaction=False)
        pipeline.incr(counter).expire(counter, RATE_WINDOW)
        pipeline.rpush(access_buffer_key(), json.dumps(row))
        try:
            pipeline.execute()
            return
        except redis.RedisError:
            logger.warning("Access log buffer unreachable: writing the row at once")
    else:
        cache.add(rate_key, 0, timeout=RATE_WINDOW)
        cache.incr(rate_key)
    PartnerAccess.objects.create(
        partner_id=grant.partner_id, key_id=grant.key_id, endpoint=endpoint, status=status
    )
