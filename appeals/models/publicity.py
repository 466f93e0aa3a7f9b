"""The publicity safety check: nothing about a person goes public without it.

A safeguarding lead completes the checklist for one revision of an appeal; a publisher
approves it; the approved check is the clearance for exactly that revision until its
review date. See ``AppealPage.assert_publicity_cleared`` for where it is enforced.
"""

from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import AbstractGroupApprovalTask

from homeward.models import PoliceForce


class PublicityRefused(PermissionDenied):
    """Content was about to go public without a valid publicity safety check."""


class PublicityDecision(models.TextChoices):
    PUBLIC = "public", "Public appeal"
    RESTRICTED = "restricted", "Restricted briefing to vetted partners only (no public page)"
    NONE = "none", "No publicity"


@register_setting(icon="warning")
class PublicitySettings(BaseGenericSetting):
    high_risk_review_days = models.PositiveSmallIntegerField(
        "review within (days) for trafficked or unaccompanied children",
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="Children flagged trafficked, suspected trafficked or unaccompanied are "
        "most at risk from publicity: their clearances are reviewed soonest.",
    )
    review_days = models.PositiveSmallIntegerField(
        "review within (days) for everyone else",
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )

    panels = [FieldPanel("high_risk_review_days"), FieldPanel("review_days")]

    class Meta:
        verbose_name = "publicity safety check"


def review_days_for(appeal, policy: PublicitySettings) -> int:
    """The longest a clearance may last for this appeal (as it stands in the revision)."""
    if appeal.is_child and (appeal.trafficked or appeal.unaccompanied_asylum_seeking):
        return policy.high_risk_review_days
    return policy.review_days


def needs_four_eyes(appeal) -> bool:
    """Whoever completes the check for these appeals cannot also give final approval."""
    return appeal.trafficked or appeal.unaccompanied_asylum_seeking


def start_of_day(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class PoliceAuthorisation(models.Model):
    """A police officer of the owning force authorised publicity, in Homeward itself."""

    appeal = models.ForeignKey(
        "appeals.AppealPage", on_delete=models.CASCADE, related_name="police_authorisations"
    )
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    force = models.ForeignKey(PoliceForce, on_delete=models.PROTECT, related_name="+")
    officer_name = models.CharField(max_length=120)
    case_reference = models.CharField(max_length=50)
    authorised_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.officer_name}, {self.force}, {self.authorised_on:%d %b %Y}"


class PublicityCheckQuerySet(models.QuerySet):
    def valid_clearances(self, *, now: datetime | None = None, decision=PublicityDecision.PUBLIC):
        """Approved checks, not expired, approved by someone else where four eyes apply."""
        return self.filter(
            Q(four_eyes_required=False) | ~Q(approved_by=F("completed_by")),
            decision=decision,
            approved_at__isnull=False,
            approved_by__isnull=False,
            expires_at__gt=now or timezone.now(),
        )


class PublicityCheck(models.Model):
    """One completed checklist, for one revision of an appeal, with its decision."""

    class ConsentFrom(models.TextChoices):
        PARENT = "parent-guardian", "A parent or guardian"
        LOCAL_AUTHORITY = "local-authority", "The local authority (child in care)"
        ADULT = "adult", "The adult's known wishes"

    class Consent(models.TextChoices):
        GIVEN = "given", "Given"
        REFUSED = "refused", "Refused, but the police still ask for publicity"

    class Risk(models.TextChoices):
        NO = "no", "No"
        MITIGATED = "mitigated", "Yes, but the appeal's content has been changed to prevent it"
        YES = "yes", "Yes"

    class NrmStatus(models.TextChoices):
        NOT_REFERRED = "not-referred", "Not referred"
        AWAITING = "awaiting", "Referred: awaiting a reasonable grounds decision"
        REASONABLE_GROUNDS = "reasonable-grounds", "Positive reasonable grounds decision"
        CONCLUSIVE_GROUNDS = "conclusive-grounds", "Positive conclusive grounds decision"
        NEGATIVE = "negative", "Negative decision"
        UNKNOWN = "unknown", "Not known"

    appeal = models.ForeignKey(
        "appeals.AppealPage", on_delete=models.CASCADE, related_name="publicity_checks"
    )
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.CASCADE, related_name="+")
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField()

    # Police authorisation
    police_authorisation = models.ForeignKey(
        PoliceAuthorisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    authorising_force = models.ForeignKey(PoliceForce, on_delete=models.PROTECT, related_name="+")
    authorising_officer = models.CharField(max_length=120)
    authorising_case_reference = models.CharField(max_length=50)
    authorised_on = models.DateField()

    # Consent
    consent_from = models.CharField(max_length=20, choices=ConsentFrom.choices)
    consent = models.CharField(max_length=10, choices=Consent.choices)
    consent_given_by = models.CharField(max_length=200, blank=True)
    social_worker = models.CharField(max_length=120, blank=True)
    adults_wishes = models.TextField(max_length=2000, blank=True)
    consent_refusal_reason = models.TextField(max_length=2000, blank=True)

    # The risk of publicity itself
    risk_of_locating = models.CharField(max_length=10, choices=Risk.choices)
    risk_of_locating_notes = models.TextField(max_length=2000, blank=True)
    risk_of_displacement = models.CharField(max_length=10, choices=Risk.choices)
    risk_of_displacement_notes = models.TextField(max_length=2000, blank=True)
    nrm_status = models.CharField(max_length=20, choices=NrmStatus.choices, blank=True)
    persons_views = models.TextField(max_length=2000, blank=True)

    # Content review
    no_immigration_status = models.BooleanField(default=False)
    no_placement_or_address = models.BooleanField(default=False)
    no_school_or_uniform = models.BooleanField(default=False)
    suitable_photo = models.BooleanField(default=False)
    suitable_wording = models.BooleanField(default=False)

    # Decision
    decision = models.CharField(max_length=12, choices=PublicityDecision.choices)
    decision_reason = models.TextField(max_length=2000, blank=True)
    review_date = models.DateField()
    expires_at = models.DateTimeField(db_index=True)
    four_eyes_required = models.BooleanField()

    # Final approval
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True)
    reminder_sent_at = models.DateTimeField(null=True)

    objects = PublicityCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_at"]
        indexes = [models.Index(fields=["revision", "decision"])]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.completed_at:%d %b %Y})"

    def save(self, *args, **kwargs):
        self.expires_at = start_of_day(self.review_date)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("appeals_publicity_check_detail", args=[self.pk])

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    def is_valid_clearance(self, now: datetime | None = None) -> bool:
        return (
            self.decision == PublicityDecision.PUBLIC
            and self.is_approved
            and self.expires_at > (now or timezone.now())
            and not (self.four_eyes_required and self.approved_by_id == self.completed_by_id)
        )


class PublicityCheckTask(AbstractGroupApprovalTask):
    """Safeguarding leads complete the publicity safety check's checklist.

    The checklist is long and needs the appeal beside it, so the task's action leads to
    a page of its own rather than Wagtail's modal.
    """

    def get_actions(self, obj, user):
        if user.is_superuser or self._user_in_groups(user):
            return [
                ("check", "Complete the publicity safety check", False),
                ("reject", "Request changes", True),
            ]
        return []

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "check":
            return reverse("appeals_publicity_check", args=[task_state.workflow_state.object_id])
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return (
            "Members of the chosen groups complete the publicity safety checklist: "
            "police authorisation, consent, the risk of publicity itself, a content review "
            "and the decision."
        )

    class Meta:
        verbose_name = "publicity safety check"
        verbose_name_plural = "publicity safety checks"


class PublisherApprovalTask(AbstractGroupApprovalTask):
    """The final approval of a passed check, by someone else where four eyes apply."""

    def get_actions(self, obj, user):
        from appeals.services import publicity_approval_refusal

        actions = super().get_actions(obj, user)
        if actions and publicity_approval_refusal(appeal=obj, user=user):
            return [action for action in actions if action[0] != "approve"]
        return actions

    def on_action(self, task_state, user, action_name, **kwargs):
        from appeals.services import publicity_check_approve

        if action_name == "approve":
            publicity_check_approve(
                task_state=task_state, user=user, comment=kwargs.get("comment", "")
            )
            return None
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return (
            "Members of the chosen groups give the final approval of a passed publicity "
            "safety check. For appeals flagged trafficked or unaccompanied, the person who "
            "completed the check cannot approve it."
        )

    class Meta:
        verbose_name = "publicity approval"
        verbose_name_plural = "publicity approvals"
