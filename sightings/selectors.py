import time

from django.utils import timezone

from appeals.models import AppealPage
from homeward import roles
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
    if not user.is_authenticated or not user.is_active:
        return False
    if user.groups.filter(name=roles.CASEWORKERS).exists():
        return True
    officer = getattr(user, "police_officer", None)
    return officer is not None and officer.force_id == sighting.appeal.police_force_id
