import time

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from appeals.models import AppealPage
from homeward.page_cache import page_cache_generation
from sightings.models import Sighting, SightingHandOff
from sightings.permissions import (
    SEE,
    SEE_CASE,
    acting_force_id,
    sees_every_force,
    sighting_permission_policy,
)

# (generation, appeal id) -> (until when, the appeal or None), in this process.
_recently_found: dict[tuple[str, int], tuple[float, AppealPage | None]] = {}


def appeal_taking_sightings(*, appeal_id: int) -> AppealPage | None:
    """Only live, cleared appeals of people still missing take sightings.

    A viral appeal brings thousands of reports: each process keeps what it found for a
    minute, under the page cache's generation (re-read at most every second), so any
    publish, unpublish or closure retires it within a second. The clearance's end is
    checked on every use.
    """
    key = (page_cache_generation(max_age=1), appeal_id)
    found = _recently_found.get(key)
    if found is None or found[0] < time.monotonic():
        appeal = AppealPage.objects.publicly_visible().for_serving().filter(pk=appeal_id).first()
        if len(_recently_found) > 1000:
            _recently_found.clear()
        found = _recently_found[key] = (time.monotonic() + 60, appeal)
    appeal = found[1]
    if appeal is None or appeal.public_clearance_expiry() <= timezone.now():
        return None
    return appeal


def sighting_appeals_for(*, user) -> QuerySet[AppealPage]:
    """The appeals someone may filter their queue by: their force's and those of sightings
    passed to their force, or all of them. Filtering only narrows the queue: another
    force's appeal shows no more of its sightings than were passed."""
    if sees_every_force(user):
        return AppealPage.objects.order_by("title")
    force_id = acting_force_id(user, SEE)
    if force_id is None:
        return AppealPage.objects.none()
    passed = SightingHandOff.objects.filter(to_force_id=force_id).values("sighting__appeal_id")
    return AppealPage.objects.filter(Q(police_force_id=force_id) | Q(pk__in=passed)).order_by(
        "title"
    )


# Urgent first, then by rank (sightings/priority.py); the indexes follow this order.
QUEUE_ORDER = ("-with_them_now", "-queue_rank", "-pk")


def sighting_queue(*, user) -> QuerySet[Sighting]:
    """The sightings someone may see, in queue order (see sightings/priority.py)."""
    return sighting_permission_policy.instances_user_has_permission_for(user, SEE).order_by(
        *QUEUE_ORDER
    )


def sighting_queue_waiting(*, user) -> QuerySet[Sighting]:
    """New, unclaimed sightings of someone's force (or every force), urgent first, then the
    longest waiting: those passed to their force are not theirs to claim."""
    return (
        sighting_permission_policy.instances_user_has_permission_for(user, SEE_CASE)
        .filter(status=Sighting.Status.NEW, claimed_by__isnull=True)
        .select_related("police_force")
        .order_by("-with_them_now", "received_at", "pk")
    )


QUEUE_ROW_FIELDS = [
    "public_id",
    "police_force",
    "reference",
    "with_them_now",
    "received_at",
    "location",
    "priority_points",
    "status",
    "close_reason",
    "claimed_by__first_name",
    "claimed_by__last_name",
    "claimed_by__username",
]


def sighting_queue_rows(queue: QuerySet[Sighting]) -> QuerySet[Sighting]:
    """Only what a row of the queue shows: 50 whole sightings and appeals are slow to build.

    The appeal's title is a subquery, not a join, so the page count stays on the index.
    """
    title = AppealPage.objects.filter(pk=OuterRef("appeal_id")).values("title")[:1]
    return (
        queue.select_related("claimed_by")
        .annotate(appeal_title=Subquery(title))
        .only(*QUEUE_ROW_FIELDS)
    )
