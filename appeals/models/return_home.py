"""The return home interview a child is owed once found: whether it was offered, by whom,
and whether it was held, within 72 hours. Never what was said: that is the child's.

Statutory guidance: every child who has been missing is offered an independent return
home interview within 72 hours of coming back (most are not, nationally). Closing an
appeal as found records one as due for a child; caseworkers see what is due and overdue.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from homeward.models import LocalAuthority, PoliceForce
from homeward.text import validate_single_line

WITHIN = timedelta(hours=72)


class ReturnHomeInterviewQuerySet(models.QuerySet):
    def outstanding(self):
        """Neither held nor settled as not to be held."""
        return self.filter(held_at__isnull=True, not_held_reason="")

    def overdue(self, *, now: datetime | None = None):
        return self.outstanding().filter(due_by__lt=now or timezone.now())


class ReturnHomeInterview(models.Model):
    class OfferedBy(models.TextChoices):
        LOCAL_AUTHORITY = "local-authority", "The child's local authority"
        CHARITY = "charity", "A charity the local authority commissions"

    class NotHeld(models.TextChoices):
        DECLINED = "declined", "The child declined it"
        NOT_REACHED = "not-reached", "The child could not be reached"
        MISSING_AGAIN = "missing-again", "Missing again before it could be held"

    appeal = models.OneToOneField(
        "appeals.AppealPage", on_delete=models.CASCADE, related_name="return_home_interview"
    )
    # The appeal's force when found: who the interview is for, kept for the trends.
    police_force = models.ForeignKey(PoliceForce, on_delete=models.PROTECT, related_name="+")
    # The council responsible for the child, if any: its designated manager sees it.
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    found_at = models.DateTimeField()
    due_by = models.DateTimeField(db_index=True)
    offered_by = models.CharField(max_length=20, choices=OfferedBy.choices, blank=True)
    offered_by_name = models.CharField(
        "organisation",
        max_length=120,
        blank=True,
        validators=[validate_single_line],
        help_text="For example, the council or the charity's name. Never a person's.",
    )
    offered_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    not_held_reason = models.CharField(
        "why it was not held", max_length=20, choices=NotHeld.choices, blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReturnHomeInterviewQuerySet.as_manager()

    class Meta:
        ordering = ["due_by"]
        constraints = [
            models.CheckConstraint(
                name="return_home_offered_by_whom",
                condition=Q(offered_at__isnull=True) | ~Q(offered_by=""),
            ),
            models.CheckConstraint(
                name="return_home_held_after_offered",
                condition=Q(held_at__isnull=True)
                | Q(offered_at__isnull=False, held_at__gte=models.F("offered_at")),
            ),
            models.CheckConstraint(
                name="return_home_held_or_not",
                condition=Q(held_at__isnull=True) | Q(not_held_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"Return home interview, appeal {self.appeal_id}"

    def clean(self) -> None:
        super().clean()
        now = timezone.now()
        errors = {}
        for name in ("offered_at", "held_at"):
            when = getattr(self, name)
            if when and when > now:
                errors[name] = "This cannot be in the future."
            elif when and self.found_at and when < self.found_at:
                errors[name] = "This cannot be before they were found."
        if self.offered_at and not self.offered_by:
            errors["offered_by"] = "Say who offered it."
        if self.held_at and not self.offered_at:
            errors["offered_at"] = "Say when it was offered: it was held."
        elif self.held_at and self.offered_at and self.held_at < self.offered_at:
            errors["held_at"] = "It cannot have been held before it was offered."
        if self.held_at and self.not_held_reason:
            errors["not_held_reason"] = "It was held: leave this empty."
        if errors:
            raise ValidationError(errors)

    @property
    def is_settled(self) -> bool:
        return bool(self.held_at or self.not_held_reason)

    def is_overdue(self, now: datetime | None = None) -> bool:
        return not self.is_settled and (now or timezone.now()) > self.due_by

    @classmethod
    def due_for(cls, appeal, *, found_at: datetime) -> "ReturnHomeInterview":
        interview, _ = cls.objects.get_or_create(
            appeal=appeal,
            defaults={
                "police_force_id": appeal.police_force_id,
                "local_authority_id": appeal.local_authority_id,
                "found_at": found_at,
                "due_by": found_at + WITHIN,
            },
        )
        return interview
