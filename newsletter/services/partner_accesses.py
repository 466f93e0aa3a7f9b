"""The partners' access log, moved from its Redis buffer into the database.

Rows are read, written, then trimmed from the buffer: a flush that dies between writing
and trimming writes those rows again (a request logged twice), never loses one. One flush
at a time, under a short lock.
"""

import json
from datetime import UTC, datetime

from django.conf import settings

from homeward.redis import redis_client, redis_key
from newsletter.models import PartnerAccess, PartnerKey
from newsletter.partner_access import access_buffer_key

BATCH = 5000
LOCK_SECONDS = 55  # a flush runs each minute; a dead one's lock is gone before the next


def partner_accesses_flush() -> int:
    """Write what the buffer holds to the access log; how many rows."""
    if not settings.REDIS_URL:
        return 0  # every row was written at once
    client = redis_client(settings.REDIS_URL)
    lock = redis_key("partner-access", "flushing")
    if not client.set(lock, "1", nx=True, ex=LOCK_SECONDS):
        return 0
    written = 0
    try:
        while rows := client.lrange(access_buffer_key(), 0, BATCH - 1):
            written += _write(json.loads(row) for row in rows)
            client.ltrim(access_buffer_key(), len(rows), -1)
    finally:
        client.delete(lock)
    return written


def _write(rows) -> int:
    rows = list(rows)
    # A key deleted since (with its partner) has no log to join.
    known = set(
        PartnerKey.objects.filter(pk__in={key_id for _, key_id, *_ in rows}).values_list(
            "pk", flat=True
        )
    )
    accesses = [
        PartnerAccess(
            partner_id=partner_id,
            key_id=key_id,
            at=datetime.fromtimestamp(at, tz=UTC),
            endpoint=endpoint,
            status=status,
        )
        for partner_id, key_id, at, endpoint, status in rows
        if key_id in known
    ]
    PartnerAccess.objects.bulk_create(accesses)
    return len(accesses)
