"""Partners' API keys: their form, their digest, and who holds one.

A key is ``hwk_<prefix>_<secret>``: the prefix names it in the admin and the access log,
the secret (256 random bits) is never stored. Keys are looked up by their SHA-256 digest:
a fast hash is enough for a random secret of that length (nothing to guess by brute
force), and costs the API no time. What a key may do is cached for a short while, so that
a partner's poll costs no database query; revoking a key forgets it at once.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

from newsletter.models import PartnerKey

KEY_START = "hwk_"
# Long enough for a revocation or a partner's change of areas to reach every worker
# soon, short enough that a busy partner's polls rarely ask the database.
GRANT_SECONDS = 30


@dataclass(frozen=True)
class Grant:
    """What one key may do, as the API checks it on every request."""

    key_id: int
    partner_id: int
    prefix: str
    public_appeals: bool
    briefings: bool
    all_of_uk: bool
    force_ids: frozenset[int]
    requests_per_minute: int
    expires_at: datetime | None

    def covers(self, force_id: int) -> bool:
        return self.all_of_uk or force_id in self.force_ids


def key_new() -> tuple[str, str, str]:
    """A new key: (the key, its prefix, its digest)."""
    prefix = secrets.token_hex(4)
    key = f"{KEY_START}{prefix}_{secrets.token_urlsafe(32)}"
    return key, prefix, key_digest(key)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def grant_cache_key(digest: str) -> str:
    return f"partner-key:{digest}"


def grant_of(key: str) -> Grant | None:
    """What this key may do now, or None for a key that is unknown, revoked or expired."""
    return grant_and_cached(key)[0]


def grant_and_cached(key: str, also=lambda digest: ()) -> tuple[Grant | None, dict]:
    """The key's grant, and the cache's entries under ``also(digest)``, read in the same
    round trip: a cached answer to a partner then costs one read of the cache."""
    if not key.startswith(KEY_START) or len(key) > 100:
        return None, {}
    digest = key_digest(key)
    cache_key = grant_cache_key(digest)
    found = cache.get_many([cache_key, *also(digest)])
    grant = found.pop(cache_key, None)
    if grant is None:
        grant = _grant_read(digest)
        cache.set(cache_key, grant or False, timeout=GRANT_SECONDS)
    if not grant or (grant.expires_at and grant.expires_at <= timezone.now()):
        return None, {}
    return grant, found


def _grant_read(digest: str) -> Grant | None:
    key = (
        PartnerKey.objects.select_related("partner")
        .filter(digest=digest, revoked_at__isnull=True, partner__active=True)
        .first()
    )
    if key is None or not key.usable():
        return None
    partner = key.partner
    return Grant(
        key_id=key.pk,
        partner_id=partner.pk,
        prefix=key.prefix,
        public_appeals=partner.public_appeals,
        briefings=partner.briefings and key.may_read_briefings,
        all_of_uk=partner.all_of_uk,
        force_ids=frozenset(partner.areas.values_list("pk", flat=True)),
        requests_per_minute=key.requests_per_minute,
        expires_at=key.expires_at,
    )


def grants_forget(*, partner_id: int) -> None:
    """Every key of a partner is read afresh on its next request (a change, a revocation)."""
    digests = PartnerKey.objects.filter(partner_id=partner_id).values_list("digest", flat=True)
    cache.delete_many([grant_cache_key(digest) for digest in digests])
