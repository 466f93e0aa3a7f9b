"""The sightings' figures in an episode's anonymous statistics row (appeals.services.statistics)."""

from statistics import median

from django.db.models import F
from django.db.models.functions import Coalesce

from sightings.models import Sighting


def episode_sighting_figures(appeal_id: int) -> dict:
    """How many sightings the appeal brought, and the median minutes each waited before
    an officer first took it up (claimed, or closed without a claim)."""
    waits = [
        (taken_up - received).total_seconds() / 60
        for received, taken_up in Sighting.objects.filter(appeal_id=appeal_id)
        .annotate(taken_up_at=Coalesce(F("claimed_at"), F("closed_at")))
        .values_list("received_at", "taken_up_at")
        if taken_up is not None
    ]
    return {
        "sightings": Sighting.objects.filter(appeal_id=appeal_id).count(),
        "median_minutes_to_triage": round(median(waits)) if waits else None,
    }
