"""The delivery ledger's state changes, each one statement.

queued → sending (a batch claims its rows, with a claim number) → sent / failed, or
back to queued (a temporary refusal, a lost connection, or a claim gone stale because
its worker died). A row changes only while it carries the claim of whoever changes it,
so two workers can never both send one message. Raw SQL: these run once per message,
and RETURNING claims and reads rows in one round trip (PostgreSQL and SQLite alike).
"""

import secrets
from datetime import datetime

from django.db import connection
from django.utils import timezone

from newsletter.models import Delivery

TABLE = Delivery._meta.db_table
QUEUED, SENDING, SENT, FAILED, CANCELLED = (
    Delivery.Status.QUEUED.value,
    Delivery.Status.SENDING.value,
    Delivery.Status.SENT.value,
    Delivery.Status.FAILED.value,
    Delivery.Status.CANCELLED.value,
)
# A message refused for now (4xx) is tried this many times in all before it fails.
MAX_ATTEMPTS = 3


def new_claim() -> int:
    return secrets.randbits(62)


def claim_batch(*, campaign_id: int, batch: int, claim: int) -> list[tuple[int, int, int]]:
    """Claim a batch's queued rows: [(delivery id, hero id, partner id)], ids may be None."""
    return _returning(
        f"UPDATE {TABLE} SET status = %s, claim = %s, claimed_at = %s, attempts = attempts + 1 "  # noqa: S608 (our table name)
        "WHERE campaign_id = %s AND batch = %s AND status = %s "
        "RETURNING id, hero_id, partner_id",
        [SENDING, claim, timezone.now(), campaign_id, batch, QUEUED],
    )


def claim_one(*, delivery_id: int, claim: int) -> list[tuple[int, int, int]]:
    return _returning(
        f"UPDATE {TABLE} SET status = %s, claim = %s, claimed_at = %s, attempts = attempts + 1 "  # noqa: S608
        "WHERE id = %s AND status = %s RETURNING id, hero_id, partner_id",
        [SENDING, claim, timezone.now(), delivery_id, QUEUED],
    )


def mark_sent(*, delivery_id: int, claim: int) -> bool:
    """Record a message as sent, if it is still ours to send. Commits at once."""
    return _update(
        f"UPDATE {TABLE} SET status = %s, sent_at = %s "  # noqa: S608
        "WHERE id = %s AND claim = %s AND status = %s",
        [SENT, timezone.now(), delivery_id, claim, SENDING],
    )


def mark_failed(*, delivery_id: int, claim: int, error: str) -> bool:
    return _update(
        f"UPDATE {TABLE} SET status = %s, error = %s WHERE id = %s AND claim = %s",  # noqa: S608
        [FAILED, error[:300], delivery_id, claim],
    )


def mark_cancelled(*, delivery_id: int, claim: int, reason: str) -> bool:
    return _update(
        f"UPDATE {TABLE} SET status = %s, error = %s WHERE id = %s AND claim = %s AND status = %s",  # noqa: S608
        [CANCELLED, reason, delivery_id, claim, SENDING],
    )


def retry_later(*, delivery_id: int, claim: int, error: str) -> bool:
    """A temporary refusal: queue it again, unless it has had its attempts."""
    return _update(
        f"UPDATE {TABLE} SET status = CASE WHEN attempts >= %s THEN %s ELSE %s END, "  # noqa: S608
        "error = %s WHERE id = %s AND claim = %s AND status IN (%s, %s)",
        # Also "sent": a refusal of the final "." comes after the row was recorded sent.
        [MAX_ATTEMPTS, FAILED, QUEUED, error[:300], delivery_id, claim, SENDING, SENT],
    )


def release(*, claim: int) -> int:
    """Give back what a claim has not sent (its connection failed): queued again."""
    return _rowcount(
        f"UPDATE {TABLE} SET status = %s WHERE claim = %s AND status = %s",  # noqa: S608
        [QUEUED, claim, SENDING],
    )


def release_stale(*, claimed_before: datetime) -> int:
    """Rows whose worker died mid-batch: never handed over (see transport), so queued again."""
    return _rowcount(
        f"UPDATE {TABLE} SET status = %s WHERE status = %s AND claimed_at < %s",  # noqa: S608
        [QUEUED, SENDING, claimed_before],
    )


def _returning(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _rowcount(sql: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _update(sql: str, params: list) -> bool:
    return _rowcount(sql, params) == 1
