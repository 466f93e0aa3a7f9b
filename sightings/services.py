"""Writes for sightings: storing a report whole, and alerting the owning force once."""

import logging
from contextlib import nullcontext
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from appeals.models import AppealPage
from homeward.jobs import enqueue_batched_after_commit
from homeward.links import absolute_url
from sightings.models import Sighting, SightingPhoto
from sightings.photos import CleanPhoto

logger = logging.getLogger(__name__)

# The answers of the form that are stored on the sighting as they are.
STORED_ANSWERS = [
    "seen_at",
    "with_them_now",
    "location",
    "latitude",
    "longitude",
    "description",
    "clothing",
    "companions",
    "direction",
    "consent_to_contact",
]


def sighting_create(
    *, appeal: AppealPage, answers: dict, photo: CleanPhoto | None, submission_key: str
) -> tuple[Sighting, bool]:
    """Store a sighting and its photo together, or nothing. Returns (sighting, created).

    A form sent twice (same token, same answers) returns the first sighting. Alerting
    the police is queued after the commit and never holds up the reporter.
    """
    stored_file = None
    # One INSERT is atomic on its own; a transaction keeps a photo and its sighting
    # together (and is a savepoint inside a caller's transaction).
    together = photo is not None or connection.in_atomic_block
    try:
        with transaction.atomic() if together else nullcontext():
            sighting = Sighting.objects.create(
                appeal=appeal,
                submission_key=submission_key,
                seen_at_approximate=answers["time_is_approximate"],
                anonymous=answers["identity"] == "anonymous",
                reporter_name=answers["name"],
                reporter_phone=answers["phone"],
                reporter_email=answers["email"],
                **{name: answers[name] for name in STORED_ANSWERS},
            )
            if photo:
                stored = SightingPhoto(
                    sighting=sighting,
                    width=photo.width,
                    height=photo.height,
                    content_type=photo.content_type,
                )
                stored.file.save(f"photo.{photo.extension}", ContentFile(photo.data), save=False)
                stored_file = stored.file
                stored.save()
    except IntegrityError:
        if stored_file:
            stored_file.delete(save=False)
        existing = Sighting.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        return existing, False
    except Exception:
        if stored_file:
            stored_file.delete(save=False)
        raise
    if sighting_needs_alert(sighting):
        from sightings.jobs import sighting_alert

        enqueue_batched_after_commit(sighting_alert, sighting.pk, batch="sighting-alerts")
    return sighting, True


def sighting_needs_alert(sighting: Sighting) -> bool:
    """Someone with them now, or a high-risk person: the owning force hears at once."""
    return sighting.with_them_now or sighting.appeal.risk_level == AppealPage.RiskLevel.HIGH


def sighting_alert_send(*, sighting_id: int) -> bool:
    """Email the owning force's duty address about one sighting. At most once."""
    sighting = Sighting.objects.select_related("appeal__police_force").get(pk=sighting_id)
    duty_email = sighting.appeal.police_force.duty_email
    if not duty_email or not sighting_needs_alert(sighting):
        return False
    # Claim it first: a retried or parallel job finds it claimed and sends nothing.
    claimed = Sighting.objects.filter(pk=sighting.pk, alert_sent_at__isnull=True)
    if not claimed.update(alert_sent_at=timezone.now()):
        return False
    context = {"sighting": sighting, "admin_url": absolute_url("/admin/")}
    try:
        send_mail(
            subject=(
                f"{'URGENT: with them now' if sighting.with_them_now else 'High-risk'} "
                f"sighting {sighting.reference}: {sighting.appeal.title}"
            ),
            message=render_to_string("sightings/email/alert.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[duty_email],
        )
    except Exception:
        Sighting.objects.filter(pk=sighting.pk).update(alert_sent_at=None)
        raise
    return True


def sighting_alerts_sweep(*, now: datetime | None = None) -> int:
    """Send the alerts whose job never ran (the queue was down, or a worker died)."""
    now = now or timezone.now()
    pending = Sighting.objects.filter(
        Q(with_them_now=True) | Q(appeal__risk_level=AppealPage.RiskLevel.HIGH),
        alert_sent_at__isnull=True,
        received_at__lte=now - timedelta(minutes=1),
        received_at__gte=now - timedelta(days=2),
        appeal__police_force__duty_email__gt="",
    )
    sent = 0
    for sighting_id in pending.values_list("pk", flat=True):
        try:
            sent += sighting_alert_send(sighting_id=sighting_id)
        except Exception:
            logger.exception("Alert for sighting %s not sent; will retry", sighting_id)
    return sent
