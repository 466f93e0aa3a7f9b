"""The record of an appeal's closing: why, by whom, what the takedown removed, what is left.

It outlives the person's data: once the retention purge has run, it is the anonymous
record kept for statistics (force, dates, outcome) and nothing else.

An ended clearance ("expired") takes the appeal down without closing it: that record lasts
only while the appeal is down, and goes (into the audit log) when a renewal puts it live.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac

from homeward.models import PoliceForce


class AppealTakedown(models.Model):
    class Outcome(models.TextChoices):
        FOUND = "found", "Found"
        WITHDRAWN = "withdrawn", "Publicity withdrawn"
        EXPIRED = "expired", "Publicity clearance ended"

    # Each surface the takedown clears, in the order it clears them.
    class Step(models.TextChoices):
        MEDIA = "media", "Photos and renditions"
        EMAILS = "emails", "Unsent emails"
        SOCIAL = "social", "Social posts"
        SEARCH = "search", "Search index"
        CACHES = "caches", "Caches"
        PARTNERS = "partners", "Partners told"

    appeal = models.OneToOneField(
        "appeals.AppealPage",
        null=True,
        on_delete=models.SET_NULL,
        related_name="takedown",
    )
    # The appeal's id, which partners know it by: kept after the purge (which unlinks the
    # appeal) so that their feeds still say it was deleted.
    appeal_number = models.PositiveIntegerField(null=True, editable=False)
    police_force = models.ForeignKey(PoliceForce, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    # Never published, and purged with the rest of the person's data.
    reason = models.TextField(max_length=1000, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    missing_since = models.DateField()
    first_published_at = models.DateTimeField(null=True)
    # When it was closed, or taken down (expired).
    closed_at = models.DateTimeField()
    # {step: {"at": ISO time, ...what it did}}: a step in here is done and never run again.
    steps = models.JSONField(default=dict)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True)
    last_error = models.CharField(max_length=300, blank=True)
    # Set by the run that holds the takedown (a conditional UPDATE), renewed as each step
    # is recorded; a run that died leaves it to lapse after the lease (services.takedown).
    claimed_at = models.DateTimeField(null=True)
    completed_at = models.DateTimeField(null=True)
    purged_at = models.DateTimeField(null=True)
    # The purged slug, keyed with SECRET_KEY: its old address still answers 410 Gone.
    former_slug_digest = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["-closed_at", "-pk"]
        indexes = [
            models.Index(
                fields=["last_attempt_at"],
                condition=Q(completed_at__isnull=True),
                name="takedown_pending",
            ),
            models.Index(
                fields=["closed_at"], condition=Q(purged_at__isnull=True), name="takedown_unpurged"
            ),
        ]

    def __str__(self) -> str:
        return f"Takedown {self.pk} ({self.get_outcome_display()})"

    @staticmethod
    def slug_digest(slug: str) -> str:
        return salted_hmac("homeward.takedown.former-slug", slug, algorithm="sha256").hexdigest()

    def step_done(self, step: str) -> bool:
        return step in self.steps

    def steps_pending(self) -> list[str]:
        return [step for step in self.Step.values if step not in self.steps]
