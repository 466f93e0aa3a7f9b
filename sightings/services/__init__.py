"""Writes for sightings, one module per job: intake, triage, translations, passing a
sighting to another force (hand_off) and retention."""

from sightings.services.hand_off import (
    sighting_hand_off,
    sighting_hand_off_alert_send,
    sighting_hand_offs_sweep,
)
from sightings.services.intake import (
    sighting_alert_send,
    sighting_answers,
    sighting_corroborate,
    sighting_create,
    sighting_follow_up,
    sighting_needs_alert,
    sightings_follow_up_sweep,
)
from sightings.services.retention import sightings_retention_purge
from sightings.services.translations import sighting_translation_add
from sightings.services.triage import (
    SightingRefused,
    sighting_assess,
    sighting_claim,
    sighting_claim_next,
    sighting_close,
    sighting_export_value,
    sighting_note_add,
    sighting_pass_on,
    sighting_release,
    sighting_view,
    sightings_close_duplicates,
    sightings_export,
)

__all__ = [
    "SightingRefused",
    "sighting_alert_send",
    "sighting_answers",
    "sighting_assess",
    "sighting_claim",
    "sighting_claim_next",
    "sighting_close",
    "sighting_corroborate",
    "sighting_create",
    "sighting_export_value",
    "sighting_follow_up",
    "sighting_hand_off",
    "sighting_hand_off_alert_send",
    "sighting_hand_offs_sweep",
    "sighting_needs_alert",
    "sighting_note_add",
    "sighting_pass_on",
    "sighting_release",
    "sighting_translation_add",
    "sighting_view",
    "sightings_close_duplicates",
    "sightings_export",
    "sightings_follow_up_sweep",
    "sightings_retention_purge",
]
