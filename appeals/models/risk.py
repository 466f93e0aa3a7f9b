"""The police's risk assessments of an appeal: who set each level, when and why, kept for
good. Every report is risk-assessed and the assessment continuously reviewed; for a child
missing from care the risk does not diminish because they go missing often.

Two kinds, in one history. "Recorded": the level the editor put on the appeal from the
police referral, appended when a publication puts a new one on record
(``RiskAssessmentQuerySet.record_publication``). "Review": an officer of the owning force
reviewing it (``appeals.services.risk.appeal_risk_review``). The latest of either is the
level in force: ``AppealPage.derive_risk`` reads it, raised to high for a trafficked or
unaccompanied child, into the appeal's effective ``risk_level``.

Rows are never changed or deleted by hand: a new assessment supersedes the last one. The
retention purge alone blanks their reasons (free text that may name the person).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from appeals.models.pages import AppealPage
from appeals.models.safeguarding import risk_is_lower
from homeward.text_fields import bounded_text, text_stripped

# The model permission that lets a police officer review their own force's cases (the
# force is their police officer link): the Police officers role holds it.
REVIEW_RISK = "appeals.add_riskassessment"

RiskLevel = AppealPage.RiskLevel


class RiskAssessmentChanged(Exception):
    """Code tried to change or re-save an assessment: the history is append-only."""


class RiskAssessmentQuerySet(models.QuerySet):
    """Read and appended through an appeal's history: ``appeal.risk_assessments``."""

    def latest_first(self):
        return self.order_by("-assessed_at", "-pk")

    def level_in_force(self) -> str | None:
        """The level of the latest of these assessments, or None if there are none."""
        return self.latest_first().values_list("level", flat=True).first()

    def record_publication(self, *, appeal: AppealPage) -> "RiskAssessment | None":
        """Put the appeal's police level on record as it is published, if it is new.

        Called as a live appeal's content is saved (every route to the public site ends
        there), before its effective risk is derived. A level is new when the editor
        changed it since it was last recorded, or when nothing about the risk is on
        record yet. An appeal the police reviewed before it was ever published records
        its level only if the editor changed it since: otherwise the older referral level
        would supersede their later review.
        """
        if not appeal.police_risk_level:
            return None
        history = self.filter(appeal_id=appeal.pk)
        last = history.filter(kind=RiskAssessment.Kind.RECORDED).level_in_force()
        if last is None and history.exists():
            last = (
                AppealPage.objects.filter(pk=appeal.pk)
                .values_list("police_risk_level", flat=True)
                .first()
            )
        if last == appeal.police_risk_level:
            return None
        revision = appeal.live_revision
        return self.create(
            appeal=appeal,
            kind=RiskAssessment.Kind.RECORDED,
            level=appeal.police_risk_level,
            # Kept only while it explains a lower level for a flagged child.
            reason=appeal.police_risk_reason.strip() if appeal.police_risk_below_high else "",
            assessed_by=revision.user if revision else None,
        )


class RiskAssessment(models.Model):
    class Kind(models.TextChoices):
        RECORDED = "recorded", "Recorded on the appeal when published"
        REVIEW = "review", "Police review"

    appeal = models.ForeignKey(
        "appeals.AppealPage", on_delete=models.CASCADE, related_name="risk_assessments"
    )
    level = models.CharField("risk level", max_length=20, choices=RiskLevel.choices)
    reason = bounded_text(
        1000,
        blank=True,
        help_text="Why this level. Needed for a level lower than the last one, or lower "
        "than high for a trafficked or unaccompanied child.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = RiskAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_at", "-pk"]
        # Added by officers and by publication, never changed or deleted by anyone.
        default_permissions = ("add",)
        constraints = [
            models.CheckConstraint(
                name="risk_assessment_level_known",
                condition=Q(level__in=RiskLevel.values),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} ({self.get_kind_display().lower()})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RiskAssessmentChanged(
                "A risk assessment is never changed: record a new one to supersede it."
            )
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        text_stripped(self)
        if self.kind != self.Kind.REVIEW or self.appeal_id is None or self.reason:
            # A recorded level is the appeal's own content: the appeal's clean() and
            # constraints hold its reason for a flagged child.
            return
        appeal = self.appeal
        # The level in force before this one: the last assessment's, else the referral's.
        previous = appeal.risk_assessments.level_in_force() or appeal.police_risk_level
        if appeal.always_high_risk and self.level != RiskLevel.HIGH:
            raise ValidationError(
                {
                    "reason": "A trafficked or unaccompanied child is treated as high risk. "
                    "Say why you assess the risk as lower."
                }
            )
        if risk_is_lower(self.level, previous):
            raise ValidationError(
                {
                    "reason": f"This is lower than the last assessment "
                    f"({RiskLevel(previous).label.lower()}). Say why the risk has come down."
                }
            )


class RiskReviewRequest(models.Model):
    """The ledger of review requests: one email to the owning force per appeal and due
    period (``due_since``: the time the period counts from). See
    ``appeals.services.risk.risk_review_requests_send``."""

    appeal = models.ForeignKey("appeals.AppealPage", on_delete=models.CASCADE, related_name="+")
    due_since = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True)
    sent_at = models.DateTimeField(null=True)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["appeal", "due_since"], name="risk_review_request_once_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"Risk review request, appeal {self.appeal_id}"
