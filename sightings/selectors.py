from appeals.models import AppealPage
from homeward import roles
from sightings.models import Sighting


def appeal_taking_sightings(*, appeal_id: int) -> AppealPage | None:
    """Only live, cleared appeals of people still missing take sightings."""
    return AppealPage.objects.publicly_visible().filter(pk=appeal_id).first()


def sighting_visible_to(*, sighting: Sighting, user) -> bool:
    """Only the force that owns the case, and the charity's caseworkers, see a sighting."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.groups.filter(name=roles.CASEWORKERS).exists():
        return True
    officer = getattr(user, "police_officer", None)
    return officer is not None and officer.force_id == sighting.appeal.police_force_id
