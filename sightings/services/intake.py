"""Taking a sighting in: storing a report whole, ranking it, and alerting the force."""

from contextlib import nullcontext
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, Q, QuerySet, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from appeals.models import AppealPage
from homeward.claims import done_once, sweep_each, undone_and_unclaimed
from homeward.jobs import enqueue_batched_after_commit
from homeward.languages import DEFAULT_LANGUAGE
from homeward.links import absolute_url
from homeward.text import single_line
from sightings import jobs, priority
from sightings.models import Sighting, SightingPhoto
from sightings.photos import CleanPhoto

# A job sending a force's alert holds it this long; then, if it was not sent, the worker is
# taken for dead and the sweep sends it. An alert is better twice than never.
ALERT_LEASE = timedelta(minutes=2)

# Sightings the police judged worthless back nothing up.
NOT_CORROBORATING = [Sighting.CloseReason.MALICIOUS, Sighting.CloseReason.NOT_RELEVANT]

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
]
# What the police may contact a reporter by, kept only if they chose to be contacted.
CONTACT_ANSWERS = {"name": "reporter_name", "phone": "reporter_phone", "email": "reporter_email"}

# What the form leaves in its cleaned data when a question is not answered.
UNANSWERED = {
    "time_is_approximate": False,
    "with_them_now": False,
    "latitude": None,
    "longitude": None,
    "clothing": "",
    "companions": "",
    "direction": "",
    "identity": "anonymous",
    "name": "",
    "phone": "",
    "email": "",
}


def sighting_answers(*, seen_at: datetime, location: str, description: str, **given) -> dict:
    """A whole set of answers, as the form cleans them, for reports made in code (the demo)."""
    unknown = set(given) - set(UNANSWERED)
    if unknown:
        raise TypeError(f"Not questions on the form: {', '.join(sorted(unknown))}")
    return {
        **UNANSWERED,
        "seen_at": seen_at,
        "location": location,
        "description": description,
        **given,
    }


def sighting_create(
    *,
    appeal: AppealPage,
    answers: dict,
    photo: CleanPhoto | None,
    submission_key: str,
    language: str = DEFAULT_LANGUAGE,
) -> tuple[Sighting, bool]:
    """Store a sighting and its photo together, or nothing. Returns (sighting, created).

    A form sent twice (same token, same answers) returns the first sighting. Alerting
    the police is queued after the commit and never holds up the reporter. Choosing to
    be contacted is the consent to it; contact details given with "anonymous" are refused
    (ValueError), never quietly dropped. ``language`` is the form's, which the reporter
    wrote in.
    """
    anonymous = answers["identity"] == "anonymous"
    contact = {field: answers[answer] for answer, field in CONTACT_ANSWERS.items()}
    if anonymous and any(contact.values()):
        raise ValueError("An anonymous sighting keeps no contact details.")
    received_at = timezone.now()
    points = priority.priority_points(
        risk_level=appeal.risk_level, has_photo=photo is not None, corroborations=0
    )
    stored_file = None
    # One INSERT is atomic on its own; a transaction keeps a photo and its sighting
    # together (and is a savepoint inside a caller's transaction).
    together = photo is not None or connection.in_atomic_block
    try:
        with transaction.atomic() if together else nullcontext():
            sighting = Sighting.objects.create(
                appeal=appeal,
                police_force_id=appeal.police_force_id,
                received_at=received_at,
                priority_points=points,
                queue_rank=priority.queue_rank(
                    received_at=received_at,
                    with_them_now=answers["with_them_now"],
                    points=points,
                ),
                submission_key=submission_key,
                language=language,
                seen_at_approximate=answers["time_is_approximate"],
                anonymous=anonymous,
                consent_to_contact=not anonymous,
                **contact,
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
    enqueue_batched_after_commit(jobs.sighting_follow_up, sighting.pk, batch="sightings-received")
    return sighting, True


def sighting_follow_up(*, sighting_id: int, now: datetime | None = None) -> bool:
    """The work a new sighting queues after commit: corroboration, then the force's alert.

    Safe to repeat: each step is claimed. Returns whether an alert was sent.
    """
    sighting_corroborate(sighting_id=sighting_id)
    return sighting_alert_send(sighting_id=sighting_id, now=now)


def sighting_corroborate(*, sighting_id: int) -> int:
    """Count the earlier sightings that back this one up, and raise each of them for it.

    Only earlier ones: a pair is counted once, when the later one comes in, whatever
    order the jobs run in. Once per sighting (claimed by ``corroborated_at``). Returns
    how many were found.
    """
    now = timezone.now()
    with transaction.atomic():
        if not Sighting.objects.filter(pk=sighting_id, corroborated_at__isnull=True).update(
            corroborated_at=now
        ):
            return 0
        sighting = Sighting.objects.get(pk=sighting_id)
        candidates = (
            Sighting.objects.filter(
                appeal_id=sighting.appeal_id,
                seen_at__gte=sighting.seen_at - priority.CORROBORATION_WINDOW,
                seen_at__lte=sighting.seen_at + priority.CORROBORATION_WINDOW,
            )
            .filter(pk__lt=sighting.pk)
            .exclude(close_reason__in=NOT_CORROBORATING)
            .order_by("-received_at")
            .values_list("pk", "latitude", "longitude")[: priority.CORROBORATION_CANDIDATES]
        )
        corroborating = [
            pk
            for pk, latitude, longitude in candidates
            if not _both_placed(sighting, latitude, longitude)
            or priority.kilometres_between(
                (float(sighting.latitude), float(sighting.longitude)),
                (float(latitude), float(longitude)),
            )
            <= priority.CORROBORATION_KILOMETRES
        ]
        _add_corroborations(Sighting.objects.filter(pk=sighting.pk), len(corroborating))
        _add_corroborations(Sighting.objects.filter(pk__in=corroborating), 1)
    return len(corroborating)


def _both_placed(sighting: Sighting, latitude, longitude) -> bool:
    return None not in (sighting.latitude, sighting.longitude, latitude, longitude)


def _add_corroborations(sightings, count: int) -> None:
    """Raise sightings' counts (up to what is counted) and their points and rank with them."""
    for _ in range(min(count, priority.CORROBORATIONS_COUNTED)):
        sightings.filter(corroborations__lt=priority.CORROBORATIONS_COUNTED).update(
            corroborations=F("corroborations") + 1,
            priority_points=F("priority_points") + priority.CORROBORATION_POINTS,
            queue_rank=Case(
                When(with_them_now=True, then=F("queue_rank")),
                default=F("queue_rank") + timedelta(hours=priority.CORROBORATION_POINTS),
            ),
        )


def sighting_needs_alert(sighting: Sighting) -> bool:
    """Someone with them now, or a high-risk person: the owning force hears at once."""
    return sighting.with_them_now or sighting.appeal.risk_level == AppealPage.RiskLevel.HIGH


def sighting_alert_send(*, sighting_id: int, now: datetime | None = None) -> bool:
    """Email the owning force's duty address about one sighting: at least once (see
    alert_send_once)."""
    now = now or timezone.now()
    sighting = Sighting.objects.select_related("appeal__police_force").get(pk=sighting_id)
    duty_email = sighting.appeal.police_force.duty_email
    if not duty_email or not sighting_needs_alert(sighting):
        return False
    return alert_send_once(
        Sighting.objects.filter(pk=sighting.pk),
        now=now,
        recipient=duty_email,
        subject=f"{'URGENT: with them now' if sighting.with_them_now else 'High-risk'} "
        f"sighting {sighting.reference}: {sighting.appeal.title}",
        template="sightings/email/alert.txt",
        context={"sighting": sighting},
    )


def alert_send_once(
    row: QuerySet, *, now: datetime, recipient: str, subject: str, template: str, context: dict
) -> bool:
    """Email a force's duty inbox the alert that ``row`` (one row with ``alert_claimed_at``
    and ``alert_sent_at``) records: at least once. Whether it was sent now.

    A job claims the alert for ALERT_LEASE, sends it, then records it sent. A retried or
    parallel job finds it claimed and sends nothing; a job whose worker died holding it
    leaves it to the sweep once the lease is over. A worker that dies after sending and
    before recording it means the force gets it twice, never that it gets nothing.
    ``context`` has its ``sighting``'s address added as ``sighting_url``.
    """
    sighting = context["sighting"]
    context = {
        **context,
        "sighting_url": absolute_url(reverse("sightings:inspect", args=[sighting.public_id])),
    }
    return done_once(
        row,
        now=now,
        lease=ALERT_LEASE,
        claimed="alert_claimed_at",
        done="alert_sent_at",
        work=lambda: send_mail(
            # Django refuses a line break in a header: a title stored with one must not
            # stop an urgent alert from ever going.
            subject=single_line(subject),
            message=render_to_string(template, context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[recipient],
        ),
    )


def alert_free(now: datetime) -> Q:
    """An alert not yet sent that no live job holds."""
    return undone_and_unclaimed(
        now=now, lease=ALERT_LEASE, claimed="alert_claimed_at", done="alert_sent_at"
    )


def sightings_follow_up_sweep(*, now: datetime | None = None) -> int:
    """Follow up the sightings whose job never ran (the queue was down) or died (its
    worker was killed: its alert's lease has run out). Returns how many alerts it sent.
    """
    now = now or timezone.now()
    alert_due = (
        (Q(with_them_now=True) | Q(appeal__risk_level=AppealPage.RiskLevel.HIGH))
        & Q(appeal__police_force__duty_email__gt="")
        & alert_free(now)
    )
    pending = Sighting.objects.filter(
        alert_due | Q(corroborated_at__isnull=True),
        received_at__lte=now - timedelta(minutes=1),
        received_at__gte=now - timedelta(days=2),
    )
    return sweep_each(
        pending.values_list("pk", flat=True),
        now=now,
        send=lambda pk, at: sighting_follow_up(sighting_id=pk, now=at),
        name="Sighting follow-up",
    )
