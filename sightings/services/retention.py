"""Retention: the sightings of closed appeals are purged, photos included, after a period."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from appeals.models import AppealPage
from sightings.models import Sighting, SightingPhoto

logger = logging.getLogger(__name__)

PURGE_BATCH = 500


def sightings_retention_purge(*, now: datetime | None = None) -> int:
    """Delete the sightings of appeals closed more than SIGHTING_RETENTION_DAYS ago.

    Each purge is in the audit log with the fact (which appeal, force, when it came in,
    how it ended) and none of the content. Photo files go after the rows' commit, so a
    rolled-back batch never leaves a sighting without its photo. Returns how many went.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SIGHTING_RETENTION_DAYS)
    closed_appeals = AppealPage.objects.exclude(status=AppealPage.Status.MISSING).filter(
        closed_at__lte=cutoff
    )
    purged = 0
    while batch := list(
        Sighting.objects.filter(appeal__in=closed_appeals)
        .select_related("police_force")
        .order_by("pk")[:PURGE_BATCH]
    ):
        with transaction.atomic():
            photos = list(SightingPhoto.objects.filter(sighting__in=batch))
            for sighting in batch:
                log(
                    instance=sighting,
                    action="homeward.sighting.purged",
                    data={
                        "appeal_id": sighting.appeal_id,
                        "police_force": sighting.police_force.slug,
                        "received_on": sighting.received_at.date().isoformat(),
                        "status": sighting.status,
                        "close_reason": sighting.close_reason,
                    },
                )
            Sighting.objects.filter(pk__in=[sighting.pk for sighting in batch]).delete()
            transaction.on_commit(lambda photos=photos: _delete_files(photos))
        purged += len(batch)
    if purged:
        logger.info("Retention: purged %s sightings of closed appeals", purged)
    return purged


def _delete_files(photos: list[SightingPhoto]) -> None:
    for photo in photos:
        photo.file.delete(save=False)
