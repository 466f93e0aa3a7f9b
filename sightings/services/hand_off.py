"""Passing a sighting to another police force: information shared across police lines.

A sighting seen in Leeds on a Metropolitan Police appeal should reach West Yorkshire
Police. An officer of the owning force passes it on; the receiving force's officers then
see it and may add notes (sightings/permissions.py), while the case stays with the owning
force. The receiving force's duty inbox hears of it once the hand-off has committed.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from homeward.claims import sweep_each
from homeward.jobs import enqueue_after_commit
from homeward.models import PoliceForce
from sightings import jobs
from sightings.models import PASSED_ALREADY, Sighting, SightingHandOff
from sightings.permissions import WORK, sighting_permission_policy
from sightings.services.intake import alert_free, alert_send_once
from sightings.services.triage import SightingRefused

HANDED_OFF = "homeward.sighting.handed_off"
ONLY_THE_OWNING_FORCE = (
    "Only an officer of the force that owns this case can pass its sightings to another force."
)


def sighting_hand_off(
    *,
    sighting: Sighting,
    to_force: PoliceForce,
    user,
    reason: str,
    domestic_abuse_confirmed: bool = False,
) -> SightingHandOff:
    """Pass ``sighting`` to ``to_force``, for the reason given, and alert that force.

    Only an officer who may work the sighting (its force's) may; never to its own force,
    once to each force, and a sighting on a domestic-abuse appeal only with
    ``domestic_abuse_confirmed``: the officer's explicit decision that this force may have
    it. A refusal (SightingRefused, with a message for the officer) changes nothing. The
    hand-off and its audit entry (the force, never the reason or the reporter) commit
    together; the receiving force's alert is queued after that.
    """
    if not sighting_permission_policy.user_has_permission_for_instance(user, WORK, sighting):
        raise SightingRefused(ONLY_THE_OWNING_FORCE)
    hand_off = SightingHandOff(
        sighting=sighting,
        to_force=to_force,
        handed_by=user,
        reason=reason,
        domestic_abuse_confirmed=domestic_abuse_confirmed,
    )
    try:
        hand_off.full_clean()
    except ValidationError as invalid:
        raise SightingRefused(" ".join(invalid.messages)) from invalid
    try:
        with transaction.atomic():
            hand_off.save()
            log(
                instance=sighting,
                action=HANDED_OFF,
                user=user,
                data={"to_force": to_force.name},
            )
    except IntegrityError:
        # Passed to the same force by someone else at the same moment.
        if SightingHandOff.objects.filter(sighting=sighting, to_force=to_force).exists():
            raise SightingRefused(PASSED_ALREADY) from None
        raise
    enqueue_after_commit(jobs.sighting_hand_off_alert, {"hand_off_id": hand_off.pk})
    return hand_off


def sighting_hand_off_alert_send(*, hand_off_id: int, now: datetime | None = None) -> bool:
    """Email the receiving force's duty inbox that a sighting was passed to it.

    At least once, as the owning force's alert: claimed for a lease, sent, then recorded
    (intake.alert_send_once). A crash never loses it (the sweep sends it once the lease
    is over) but may repeat it: a worker that dies after the mail server took it and
    before it is recorded sent. It says what the owning force's alert says, less the
    police case reference; not the reason, nor who passed it. Whether it was sent now.
    """
    now = now or timezone.now()
    hand_off = (
        SightingHandOff.objects.select_related(
            "to_force", "sighting__police_force", "sighting__appeal"
        )
        .filter(pk=hand_off_id)
        .first()
    )
    if hand_off is None or not hand_off.to_force.duty_email:  # purged, or no inbox
        return False
    sighting = hand_off.sighting
    return alert_send_once(
        SightingHandOff.objects.filter(pk=hand_off.pk),
        now=now,
        recipient=hand_off.to_force.duty_email,
        subject=f"{hand_off.to_force}: {sighting.police_force} passed you a sighting "
        f"({sighting.reference})",
        template="sightings/email/hand_off.txt",
        context={"sighting": sighting},
    )


def sighting_hand_offs_sweep(*, now: datetime | None = None) -> int:
    """Send the receiving forces' alerts whose job never ran (the queue was down) or died
    (its lease has run out). Returns how many it sent."""
    now = now or timezone.now()
    pending = SightingHandOff.objects.filter(
        alert_free(now),
        to_force__duty_email__gt="",
        handed_at__lte=now - timedelta(minutes=1),
        handed_at__gte=now - timedelta(days=2),
    )
    return sweep_each(
        pending.values_list("pk", flat=True),
        now=now,
        send=lambda pk, at: sighting_hand_off_alert_send(hand_off_id=pk, now=at),
        name="Hand-off alert",
    )
