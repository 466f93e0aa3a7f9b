import secrets
import uuid
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import get_active_log_context
from wagtail.models.audit_log import BaseLogEntry, BaseLogEntryManager

from homeward.languages import ALL_LANGUAGES, DEFAULT_LANGUAGE, NAMES_IN_THEMSELVES
from homeward.text import validate_single_line
from homeward.text_fields import bounded_text, text_stripped

# Crockford's base32 without I, L, O, U: easy to read out on the phone.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference() -> str:
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"S-{code[:4]}-{code[4:]}"


class Sighting(models.Model):
    """A member of the public's report of seeing someone on an appeal. Never public."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        IN_REVIEW = "in-review", "In review"
        PASSED_ON = "passed-on", "Passed to the investigation"
        CLOSED = "closed", "Closed"

    class CloseReason(models.TextChoices):
        ACTIONED = "actioned", "Actioned"
        DUPLICATE = "duplicate", "Duplicate"
        NOT_RELEVANT = "not-relevant", "Not relevant"
        MALICIOUS = "malicious", "Malicious"

    appeal = models.ForeignKey(
        "appeals.AppealPage", on_delete=models.CASCADE, related_name="sightings"
    )
    # The appeal's force, kept in step with it (sightings/signal_handlers.py): the queue
    # filters on it through an index, and it decides who may see the sighting.
    police_force = models.ForeignKey(
        "homeward.PoliceForce", on_delete=models.PROTECT, related_name="+"
    )
    # Unique through Meta.constraints: a unique field would also get a LIKE index on
    # PostgreSQL, one more index for every public report to write to, and nothing reads it.
    reference = models.CharField(max_length=16, default=new_reference)
    # What admin URLs name a sighting by: random, so no one can count sightings or walk
    # from one to the next. The sequential id stays the internal key.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    # A hash of the form token and the answers: the same form sent twice is one sighting.
    submission_key = models.CharField(max_length=64)

    seen_at = models.DateTimeField()
    seen_at_approximate = models.BooleanField(default=False)
    with_them_now = models.BooleanField(default=False)
    location = models.CharField(max_length=300, validators=[validate_single_line])
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    description = models.TextField(max_length=2000)
    # The language the reporter wrote in (the form's), for officers to find an interpreter.
    language = models.CharField(max_length=12, choices=ALL_LANGUAGES, default=DEFAULT_LANGUAGE)
    clothing = models.TextField(max_length=500, blank=True)
    companions = models.TextField(max_length=500, blank=True)
    direction = models.CharField(max_length=300, blank=True, validators=[validate_single_line])

    anonymous = models.BooleanField(default=True)
    reporter_name = models.CharField(max_length=120, blank=True, validators=[validate_single_line])
    reporter_phone = models.CharField(max_length=40, blank=True, validators=[validate_single_line])
    reporter_email = models.EmailField(max_length=254, blank=True)
    consent_to_contact = models.BooleanField(default=False)

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    alert_sent_at = models.DateTimeField(null=True, blank=True)
    # When a job took the alert on: others leave it alone until the lease runs out.
    alert_claimed_at = models.DateTimeField(null=True, blank=True)

    # Triage: see sightings/priority.py for the score and the queue's order.
    priority_points = models.PositiveSmallIntegerField(default=0)
    corroborations = models.PositiveSmallIntegerField(default=0)
    corroborated_at = models.DateTimeField(null=True, blank=True)
    queue_rank = models.DateTimeField()
    # Indexed only where set (Meta.indexes): a new report has neither, so it skips both.
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claimed_sightings",
        db_index=False,
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=12, choices=CloseReason.choices, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        db_index=False,
    )

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            # An officer's queue: their force's open sightings, urgent first, then by rank.
            models.Index(
                "police_force",
                models.F("with_them_now").desc(),
                models.F("queue_rank").desc(),
                models.F("id").desc(),
                condition=~Q(status="closed"),
                name="sighting_force_queue",
            ),
            # "Claim the next": the force's unclaimed new sightings, in the same order.
            models.Index(
                "police_force",
                models.F("with_them_now").desc(),
                models.F("queue_rank").desc(),
                models.F("id").desc(),
                condition=Q(status="new", claimed_by__isnull=True),
                name="sighting_force_unclaimed",
            ),
            # The caseworkers' queue: every force's open sightings.
            models.Index(
                models.F("with_them_now").desc(),
                models.F("queue_rank").desc(),
                models.F("id").desc(),
                condition=~Q(status="closed"),
                name="sighting_queue",
            ),
            models.Index(
                "claimed_by", condition=Q(claimed_by__isnull=False), name="sighting_claimed_by"
            ),
            models.Index(
                "duplicate_of",
                condition=Q(duplicate_of__isnull=False),
                name="sighting_duplicate_of",
            ),
        ]
        constraints = [
            models.UniqueConstraint("reference", name="sighting_reference_unique"),
            models.UniqueConstraint("submission_key", name="sighting_submission_key_unique"),
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False) & ~Q(close_reason="")
                | ~Q(status="closed") & Q(close_reason=""),
                name="sighting_closed_with_reason",
            ),
            # Someone who chose to stay anonymous is never contactable: no details, no
            # consent. Details given with "anonymous" are refused before this, not dropped.
            models.CheckConstraint(
                condition=Q(anonymous=False)
                | Q(
                    reporter_name="",
                    reporter_phone="",
                    reporter_email="",
                    consent_to_contact=False,
                ),
                name="sighting_anonymous_without_contact",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    # Shown on one line (an alert's subject, the queue): line breaks are refused.
    ONE_LINE_FIELDS = ("location", "direction", "reporter_name", "reporter_phone")

    def save(self, *args, **kwargs):
        # Sightings are stored by a service, not a form: the one-line rule is checked here,
        # for every caller, without full_clean()'s queries.
        update_fields = kwargs.get("update_fields")
        checked = {
            name for name in self.ONE_LINE_FIELDS if update_fields is None or name in update_fields
        }
        if checked:
            self.clean_fields(
                exclude=[field.name for field in self._meta.fields if field.name not in checked]
            )
        super().save(*args, **kwargs)

    @property
    def language_named(self) -> str:
        """The reporter's language as officers read it: "Pashto (پښتو)"."""
        return f"{self.get_language_display()} ({NAMES_IN_THEMSELVES[self.language]})"

    @property
    def is_urgent(self) -> bool:
        return self.with_them_now

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    def waited(self, now) -> timedelta:
        return now - self.received_at


class SightingNote(models.Model):
    """Something the police or a caseworker wrote down while working a sighting."""

    sighting = models.ForeignKey(Sighting, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    text = models.TextField(max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Note on {self.sighting}"


class SightingTranslation(models.Model):
    """A person's English translation of a sighting written in another language, beside
    the reporter's own words. Each is kept as written (a better one is added, not typed
    over), its adding is in the sighting's audit log, and it goes when the sighting goes."""

    sighting = models.ForeignKey(Sighting, on_delete=models.CASCADE, related_name="translations")
    text = bounded_text(8000, verbose_name="translation into English")
    translated_by = models.CharField(
        max_length=120,
        validators=[validate_single_line],
        help_text="Who translated it: the interpreter's name or reference, or yours.",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Translation of {self.sighting}"

    def clean(self) -> None:
        super().clean()
        text_stripped(self)
        # (A form checks the fields before the service names the sighting.)
        if self.sighting_id is not None and self.sighting.language == DEFAULT_LANGUAGE:
            raise ValidationError("This sighting was written in English: it needs no translation.")


PASSED_ALREADY = "This sighting has already been passed to that force."


class SightingHandOff(models.Model):
    """A sighting passed to another police force: information shared across police lines.

    Seen in Leeds on a Metropolitan Police appeal, it should reach West Yorkshire Police.
    The case stays with the owning force; the receiving force's officers may read this
    sighting and add notes to it (sightings/permissions.py), and see nothing else of the
    case. Passed once to each force, never to its own; it goes when the sighting goes.
    """

    sighting = models.ForeignKey(Sighting, on_delete=models.CASCADE, related_name="hand_offs")
    # The unique constraint's index leads with it: what the receiving force may see is
    # read from that index alone (sightings/permissions.py).
    to_force = models.ForeignKey(
        "homeward.PoliceForce",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name="pass it to",
    )
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    handed_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(
        "why",
        max_length=200,
        validators=[validate_single_line],
        error_messages={"blank": "Say why you are passing it to this force."},
        help_text="One line for the receiving force: why this sighting is theirs to see.",
    )
    # A domestic-abuse case reaches another force only on the owning officer's decision.
    domestic_abuse_confirmed = models.BooleanField(
        "I have decided this domestic-abuse case may be shared with this force", default=False
    )
    # The receiving force's alert, claimed and sent as the owning force's is (Sighting's).
    alert_sent_at = models.DateTimeField(null=True, blank=True)
    alert_claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["handed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["to_force", "sighting"],
                name="sighting_hand_off_once_per_force",
                violation_error_message=PASSED_ALREADY,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sighting} passed to {self.to_force}"

    def clean_fields(self, exclude=None) -> None:
        text_stripped(self)  # first: blanks alone are no reason
        super().clean_fields(exclude)

    def clean(self) -> None:
        super().clean()
        # (A form checks the fields before the service names the sighting and force.)
        if self.sighting_id is None or self.to_force_id is None:
            return
        if self.to_force_id == self.sighting.police_force_id:
            raise ValidationError(
                {"to_force": f"This sighting is {self.to_force}'s already: choose another force."}
            )
        if self.sighting.appeal.domestic_abuse and not self.domestic_abuse_confirmed:
            raise ValidationError(
                {
                    "domestic_abuse_confirmed": "This is a domestic-abuse case: pass it on only "
                    f"once you have decided it may be shared with {self.to_force}, and say so."
                }
            )


class ThriveAssessment(models.Model):
    """A structured police judgement of a sighting (THRIVE). Each one is kept; the last counts."""

    class Grade(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    sighting = models.ForeignKey(Sighting, on_delete=models.CASCADE, related_name="assessments")
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    assessed_at = models.DateTimeField(auto_now_add=True)
    threat = models.TextField(max_length=2000)
    harm = models.TextField(max_length=2000)
    risk = models.TextField(max_length=2000)
    risk_grade = models.CharField(max_length=10, choices=Grade.choices)
    investigation = models.TextField(max_length=2000)
    vulnerability = models.TextField(max_length=2000)
    engagement = models.TextField(max_length=2000)

    class Meta:
        ordering = ["-assessed_at"]

    def __str__(self) -> str:
        return f"THRIVE assessment of {self.sighting}"


def private_storage():
    """Outside MEDIA_ROOT and its URL: a photo is served only by a view that checks who asks."""
    return storages["sightings"]


def sighting_photo_path(instance: "SightingPhoto", filename: str) -> str:
    extension = PurePath(filename).suffix
    return f"{instance.sighting.reference}/{secrets.token_hex(8)}{extension}"


class SightingPhoto(models.Model):
    """A reporter's photo: re-encoded without metadata, kept outside the public media."""

    sighting = models.OneToOneField(Sighting, on_delete=models.CASCADE, related_name="photo")
    file = models.FileField(storage=private_storage, upload_to=sighting_photo_path)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    content_type = models.CharField(max_length=30)

    def __str__(self) -> str:
        return f"Photo for {self.sighting}"


class SightingLogEntryManager(BaseLogEntryManager):
    def log_action(self, instance, action, **kwargs):
        kwargs.update(object_id=instance.pk)
        return super().log_action(instance, action, **kwargs)

    def for_instance(self, instance):
        return self.filter(object_id=instance.pk)

    def unsaved(self, *, action: str, user) -> "SightingLogEntry":
        """An entry as ``log_action`` writes it, checked but not saved, with no sighting yet.

        For a statement that makes a change and records it at once: it fills in the
        sighting's id and label itself.
        """
        entry = self.model(
            content_type=ContentType.objects.get_for_model(Sighting, for_concrete_model=False),
            action=action,
            timestamp=timezone.now(),
            data={},
            user=user,
            uuid=get_active_log_context().uuid,
        )
        entry.clean()
        return entry


class SightingLogEntry(BaseLogEntry):
    """Who viewed, claimed, changed, exported or closed a sighting: Wagtail's audit log.

    No foreign key: the trail outlives the sighting when retention purges it, and it
    holds facts (who, what, when, a reason code), never what the reporter wrote.
    """

    object_id = models.PositiveBigIntegerField(db_index=True)

    objects = SightingLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        verbose_name = "sighting log entry"
        verbose_name_plural = "sighting log entries"

    def save(self, *args, **kwargs):
        # Wagtail's full_clean() looks the user and content type up again, two queries for
        # every entry; both come from live objects here. The action is still checked.
        self.clean()
        return models.Model.save(self, *args, **kwargs)
