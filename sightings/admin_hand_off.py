"""Passing a sighting to another force, on the sighting's page in the admin: the form for
the owning force's officers, the hand-offs shown to both forces, and what a receiving
force's officer sees of the case (the appeal's public details, nothing more)."""

from django.contrib import messages
from django.http import HttpRequest

from homeward.models import PoliceOfficer
from sightings import services
from sightings.admin_forms import HandOffForm
from sightings.models import Sighting
from sightings.permissions import SEE_CASE, WORK, sighting_permission_policy
from sightings.selectors import appeal_taking_sightings
from sightings.services.hand_off import ONLY_THE_OWNING_FORCE


def hand_off_context(*, sighting: Sighting, user, form: HandOffForm | None = None) -> dict:
    """The sighting page's hand-offs, and how much of the case ``user`` sees: all of it
    (its force, the caseworkers), or, for a force it was passed to, the sighting and the
    appeal's public details (its photo and address only while it is public)."""
    sees_case = sighting_permission_policy.user_has_permission_for_instance(
        user, SEE_CASE, sighting
    )
    may_hand_off = sighting_permission_policy.user_has_permission_for_instance(user, WORK, sighting)
    my_force_id = PoliceOfficer.force_id_of(user)
    hand_offs = list(sighting.hand_offs.select_related("to_force", "handed_by"))
    return {
        "sees_case": sees_case,
        # Why it was passed is for the force it was written for (and the case's own).
        "hand_offs": [
            (hand_off, sees_case or hand_off.to_force_id == my_force_id) for hand_off in hand_offs
        ],
        "hand_off_form": (form or HandOffForm(sighting=sighting)) if may_hand_off else None,
        "public_appeal": (
            None if sees_case else appeal_taking_sightings(appeal_id=sighting.appeal_id)
        ),
    }


def hand_off_step(request: HttpRequest, sighting: Sighting) -> HandOffForm | None:
    """The form posted on the sighting's page: None once it is passed on, or the form
    again with its problems. A step not allowed raises SightingRefused."""
    if not sighting_permission_policy.user_has_permission_for_instance(
        request.user, WORK, sighting
    ):
        raise services.SightingRefused(ONLY_THE_OWNING_FORCE)
    form = HandOffForm(request.POST, sighting=sighting)
    if not form.is_valid():
        return form
    hand_off = services.sighting_hand_off(sighting=sighting, user=request.user, **form.cleaned_data)
    messages.success(request, f"{sighting.reference} is passed to {hand_off.to_force}.")
    return None
