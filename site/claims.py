"""Claims, leases and backoff: one rule for every piece of work that must be done once.

Takedowns, social posts, Heroes emails, sighting alerts and risk review requests are each
claimed with one conditional UPDATE: a row is taken only while no live claim holds it, so
a replayed or parallel job finds nothing to take. A claim older than its lease belongs to
a worker that died; the sweep lets it go and the work is done again. Retries wait longer
each time, up to a ceiling, so a service that is down is not hammered.
"""

import logging
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from time import monotonic

from django.db.models import Q, QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)

# Queued and not claimed for this long: the job that should have taken it was lost (a
# Redis blip, a restart), so the sweep queues it again.
JOB_LOST_AFTER = timedelta(minutes=5)


def new_claim() -> int:
    """A claim number no other worker will draw: whoever holds it may change the row."""
    return secrets.randbits(62)


def unclaimed(*, now: datetime, lease: timedelta, field: str = "claimed_at") -> Q:
    """Rows no live claim holds: never claimed, or claimed longer ago than the lease."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": now - lease})


def undone_and_unclaimed(
    *, now: datetime, lease: timedelta, claimed: str = "claimed_at", done: str = "sent_at"
) -> Q:
    """Rows whose work is not done and that no live claim holds."""
    return Q(**{f"{done}__isnull": True}) & unclaimed(now=now, lease=lease, field=claimed)


def done_once(
    row: QuerySet,
    *,
    now: datetime,
    lease: timedelta,
    work: Callable[[], object],
    claimed: str = "claimed_at",
    done: str = "sent_at",
) -> bool:
    """Do ``work`` for ``row`` (a queryset of one row): at least once, and never by two
    workers at a time. Claimed with a conditional UPDATE (held by a live claim, or done
    already: nothing happens), done, then recorded done. Work that raises frees the claim
    for the next try at once, and raises. A worker that dies holding the claim leaves it to
    lapse after ``lease``, and the work is done again: perhaps twice (a death after the
    work and before the record), never not at all. Whether it was done now."""
    if not row.filter(
        undone_and_unclaimed(now=now, lease=lease, claimed=claimed, done=done)
    ).update(**{claimed: now}):
        return False
    try:
        work()
    except Exception:
        row.filter(**{claimed: now}).update(**{claimed: None})
        raise
    row.filter(**{f"{done}__isnull": True}).update(**{done: timezone.now()})
    return True


def backoff(attempts: int, *, first: timedelta, factor: int, longest: timedelta) -> timedelta:
    """How long to wait after try number ``attempts``: ``first``, growing by ``factor``
    each time, never more than ``longest``."""
    return min(first * factor ** max(attempts - 1, 0), longest)


def sweep_each(ids: Iterable[int], *, now: datetime, send: Callable, name: str) -> int:
    """``send(id, now)`` for each id, counting what it reports sent. The sweep's clock moves
    on as it works, so a lease taken late in a long sweep is not over already; one that
    fails is logged and left for the next sweep, and the rest still go."""
    sent = 0
    started = monotonic()
    for pk in ids:
        working = timedelta(seconds=monotonic() - started)
        try:
            sent += send(pk, now + working)
        except Exception:
            logger.exception("%s %s not sent; will retry", name, pk)
    return sent
