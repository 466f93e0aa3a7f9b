"""The delivery ledger's state changes, each one statement.

queued → sending (a batch claims its rows, with a claim number) → uncertain (handed to
the mail server, all but the final ".") → sent (the server's 250 to the dot) or failed,
or back to queued (a temporary refusal, or a lost connection before the hand-over). A
row changes only while it carries the claim of whoever changes it, so two workers can
never both send one message; a released row loses its claim.

A batch heartbeats its claim; a claim without a heartbeat for the sweep's threshold
belongs to a dead worker. Its "sending" rows were never handed over, so they are queued
again. Its "uncertain" rows may have been delivered: urgent alerts and briefings are
queued again (twice is better than never), everything else stays "uncertain" for good
(once at most). docs/DELIVERY.md has the rule for every kind of message.

Raw SQL: these run once per message, and RETURNING claims and reads rows in one round
trip (PostgreSQL and SQLite alike).
"""

from datetime import datetime

from django.db import connection
from django.utils import timezone

from newsletter.models import Campaign, Delivery

TABLE = Delivery._meta.db_table
CAMPAIGN_TABLE = Campaign._meta.db_table
QUEUED, SENDING, UNCERTAIN, SENT, FAILED, CANCELLED = (
    Delivery.Status.QUEUED.value,
    Delivery.Status.SENDING.value,
    Delivery.Status.UNCERTAIN.value,
    Delivery.Status.SENT.value,
    Delivery.Status.FAILED.value,
    Delivery.Status.CANCELLED.value,
)
# Campaigns whose messages in doubt are sent again: a duplicate is better than a loss.
AT_LEAST_ONCE = (Campaign.Kind.URGENT.value, Campaign.Kind.BRIEFING.value)
# A message refused for now (4xx) is tried this many times in all before it fails.
MAX_ATTEMPTS = 3


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


def mark_handed_over(*, delivery_id: int, claim: int) -> bool:
    """Record a message as in the mail server's hands but for the final ".", if it is
    still ours to send. Commits at once: from here a crash may have delivered it."""
    return _update(
        f"UPDATE {TABLE} SET status = %s "  # noqa: S608
        "WHERE id = %s AND claim = %s AND status = %s",
        [UNCERTAIN, delivery_id, claim, SENDING],
    )


def mark_sent(*, delivery_id: int, claim: int) -> bool:
    """The server accepted the final ".". False if the sweep took the row back meanwhile
    (an urgent alert it has queued again: it will go twice)."""
    return _update(
        f"UPDATE {TABLE} SET status = %s, sent_at = %s "  # noqa: S608
        "WHERE id = %s AND claim = %s AND status = %s",
        [SENT, timezone.now(), delivery_id, claim, UNCERTAIN],
    )


def mark_failed(*, delivery_id: int, claim: int, error: str) -> bool:
    return _update(
        f"UPDATE {TABLE} SET status = %s, error = %s "  # noqa: S608
        "WHERE id = %s AND claim = %s AND status IN (%s, %s)",
        [FAILED, error[:300], delivery_id, claim, SENDING, UNCERTAIN],
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
        # Also "uncertain": a refusal of the final "." comes after the hand-over.
        [MAX_ATTEMPTS, FAILED, QUEUED, error[:300], delivery_id, claim, SENDING, UNCERTAIN],
    )


def heartbeat(*, campaign_id: int, batch: int, claim: int) -> int:
    """A live batch says so: its rows' claim is fresh. 0: the claim was taken from it."""
    return _rowcount(
        f"UPDATE {TABLE} SET claimed_at = %s "  # noqa: S608
        "WHERE campaign_id = %s AND batch = %s AND claim = %s AND status IN (%s, %s)",
        [timezone.now(), campaign_id, batch, claim, SENDING, UNCERTAIN],
    )


def release(*, claim: int) -> int:
    """Give back what a claim has not handed over (its connection failed): queued again.

    A row "uncertain" when the connection failed keeps its claim for the sweep to judge.
    """
    return _rowcount(
        f"UPDATE {TABLE} SET status = %s, claim = NULL WHERE claim = %s AND status = %s",  # noqa: S608
        [QUEUED, claim, SENDING],
    )


def release_stale(*, claimed_before: datetime) -> list[tuple[int, int | None, int]]:
    """Queue again what dead workers' claims held: rows never handed over, and rows in
    doubt of an urgent alert or briefing still sending. [(delivery id, campaign id, batch)].
    """
    return _returning(
        f"UPDATE {TABLE} SET status = %s, claim = NULL "  # noqa: S608
        "WHERE status IN (%s, %s) AND claimed_at < %s "
        f"AND (status = %s OR campaign_id IN (SELECT id FROM {CAMPAIGN_TABLE} "
        "WHERE kind IN (%s, %s) AND status = %s)) "
        "RETURNING id, campaign_id, batch",
        [
            QUEUED,
            SENDING,
            UNCERTAIN,
            claimed_before,
            SENDING,
            *AT_LEAST_ONCE,
            Campaign.Status.SENDING.value,
        ],
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
