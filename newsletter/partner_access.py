"""Who is asking the partners' API, whether they may, and the log of what they asked.

Every request names its key as ``Authorization: Bearer <key>``. A key that is unknown,
revoked or past its rotation's end is refused (401); one over its rate limit is told when
to come back (429); one asking for what its partner may not receive is refused (403).
Every request a known key makes is logged, whatever the answer, by the middleware here.
"""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from homeward.ratelimit import rate_limit_count
from newsletter.models import PartnerAccess
from newsletter.partner_keys import Grant, grant_of

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


def partner_admit(request: HttpRequest, *, briefings: bool = False) -> Grant:
    """The grant of the request's key, counted against its rate limit; or KeyRefused."""
    grant = grant_of(bearer_key(request))
    if grant is None:
        raise KeyRefused(401, "Give a valid API key: Authorization: Bearer <key>.")
    request.partner_grant = grant  # for the access log, whatever the answer
    count = rate_limit_count(scope="partner-api", key=grant.prefix, window=RATE_WINDOW)
    if count > grant.requests_per_minute:
        retry_after = RATE_WINDOW - int(timezone.now().timestamp()) % RATE_WINDOW
        raise KeyRefused(429, "Too many requests for this key.", retry_after=retry_after)
    if briefings and not grant.briefings:
        raise KeyRefused(403, "This key may not read restricted briefings.")
    if not briefings and not grant.public_appeals:
        raise KeyRefused(403, "This key's partner does not receive public appeals.")
    return grant


class PartnerAccessLogMiddleware:
    """Logs each request a partner's key made, with the answer it got."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        grant = getattr(request, "partner_grant", None)
        if grant is not None and request.path.startswith(API_PREFIX):
            PartnerAccess.objects.create(
                partner_id=grant.partner_id,
                key_id=grant.key_id,
                endpoint=request.path[: PartnerAccess._meta.get_field("endpoint").max_length],
                status=response.status_code,
            )
        return response
