"""A human translation of what a reporter wrote, attached by whoever works the sighting."""

from django.core.exceptions import ValidationError
from wagtail.log_actions import log

from sightings.models import Sighting, SightingTranslation
from sightings.permissions import SEE_CASE, sighting_permission_policy
from sightings.services.triage import SightingRefused


def sighting_translation_add(
    *, sighting: Sighting, user, text: str, translated_by: str
) -> SightingTranslation:
    # The case's: a force the sighting was only passed to reads it and adds notes.
    if not sighting_permission_policy.user_has_permission_for_instance(user, SEE_CASE, sighting):
        raise SightingRefused(
            "Only the force that owns this case, or a caseworker, can add a translation."
        )
    translation = SightingTranslation(
        sighting=sighting, added_by=user, text=text, translated_by=translated_by
    )
    try:
        translation.full_clean()
    except ValidationError as invalid:
        raise SightingRefused(" ".join(invalid.messages)) from invalid
    translation.save()
    # Who added one and when, never its words: the audit trail outlives the sighting.
    log(instance=sighting, action="homeward.sighting.translated", user=user)
    return translation
