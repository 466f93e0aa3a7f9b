import time
from datetime import date

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from appeals.models import AppealPage
from homeward import roles
from homeward.models import PoliceOfficer
from homeward.page_cache import page_cache_generation
from sightings.models import Sighting

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


def sighting_visible_to(*, sighting: Sighting, user) -> bool:
    """Only the force that owns the case, and the charity's caseworkers, see a sighting."""
    if _is_caseworker(user):
        return True
    officer = _officer(user)
    return officer is not None and officer.force_id == sighting.police_force_id


def sighting_workable_by(*, sighting: Sighting, user) -> bool:
    """Claiming, assessing, passing on and closing: the owning force's officers only."""
    officer = _officer(user)
    return officer is not None and officer.force_id == sighting.police_force_id


def sightings_visible_to(*, user) -> QuerySet[Sighting]:
    if _is_caseworker(user):
        return Sighting.objects.all()
    officer = _officer(user)
    if officer is None:
        return Sighting.objects.none()
    return Sighting.objects.filter(police_force_id=officer.force_id)


def sighting_appeals_for(*, user) -> QuerySet[AppealPage]:
    """The appeals someone may filter their queue by: their force's, or all of them."""
    if _is_caseworker(user):
        return AppealPage.objects.order_by("title")
    officer = _officer(user)
    if officer is None:
        return AppealPage.objects.none()
    return AppealPage.objects.filter(police_force_id=officer.force_id).order_by("title")


def can_see_sightings(user) -> bool:
    return _is_caseworker(user) or _officer(user) is not None


# Urgent first, then by rank (sightings/priority.py); the indexes follow this order.
QUEUE_ORDER = ("-with_them_now", "-queue_rank", "-pk")


def sighting_queue(
    *,
    user,
    appeal_id: int | None = None,
    status: str = "open",
    received_from: date | None = None,
    received_to: date | None = None,
    urgent_only: bool = False,
    assignment: str = "",
    search: str = "",
) -> QuerySet[Sighting]:
    """The sightings someone may see, filtered, in queue order (see sightings/priority.py)."""
    sightings = sightings_visible_to(user=user)
    if status == "open":
        sightings = sightings.exclude(status=Sighting.Status.CLOSED)
    elif status:
        sightings = sightings.filter(status=status)
    if appeal_id:
        sightings = sightings.filter(appeal_id=appeal_id)
    if received_from:
        sightings = sightings.filter(received_at__date__gte=received_from)
    if received_to:
        sightings = sightings.filter(received_at__date__lte=received_to)
    if urgent_only:
        sightings = sightings.filter(with_them_now=True)
    if assignment == "unassigned":
        sightings = sightings.filter(claimed_by__isnull=True)
    elif assignment == "mine":
        sightings = sightings.filter(claimed_by=user)
    if search:
        sightings = sightings.filter(
            Q(reference__iexact=search.strip())
            | Q(location__icontains=search)
            | Q(description__icontains=search)
            | Q(reporter_name__icontains=search)
        )
    return sightings.order_by(*QUEUE_ORDER)


QUEUE_ROW_FIELDS = [
    "public_id",
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


def _is_caseworker(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if not hasattr(user, "_homeward_caseworker"):
        user._homeward_caseworker = user.groups.filter(name=roles.CASEWORKERS).exists()
    return user._homeward_caseworker


def _officer(user) -> PoliceOfficer | None:
    if not user.is_authenticated or not user.is_active:
        return None
    return getattr(user, "police_officer", None)
