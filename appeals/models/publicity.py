"""The publicity safety check: nothing about a person goes public without it.

A safeguarding lead completes the checklist for one revision of an appeal; a publisher
approves it; the approved check is the clearance for exactly that revision until its
review date. See ``AppealPage.assert_publicity_cleared`` for where it is enforced.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from appeals.models.people import PersonEpisode
from homeward.models import PoliceForce
from homeward.text_fields import bounded_text, text_stripped


class PublicityRefused(PermissionDenied):
    """Content was about to go public without a valid publicity safety check."""


class PublicityNotCleared(PublicityRefused):
    """The live content has no valid public clearance; ``reason`` says what is missing."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


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
    if appeal.always_high_risk:
        return policy.high_risk_review_days
    return policy.review_days


def consent_sources(appeal) -> set[str]:
    """Where consent to publicity may come from, for this appeal."""
    if not appeal.is_child:
        return {PublicityCheck.ConsentFrom.ADULT}
    if appeal.in_care:
        return {PublicityCheck.ConsentFrom.LOCAL_AUTHORITY}
    return {PublicityCheck.ConsentFrom.PARENT, PublicityCheck.ConsentFrom.LOCAL_AUTHORITY}


def content_review_items(appeal) -> list[str]:
    """The content review's items that apply: schools and uniforms are a child's."""
    return [
        name
        for name in PublicityCheck.CONTENT_REVIEW
        if appeal.is_child or name != "no_school_or_uniform"
    ]


def languages_named(translations) -> str:
    """The languages of an appeal's translations, as in "Pashto and Tigrinya"."""
    names = [str(translation.get_language_display()) for translation in translations]
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def needs_four_eyes(appeal) -> bool:
    """Whoever completes the check for these appeals cannot also give final approval."""
    return appeal.trafficked or appeal.unaccompanied_asylum_seeking


def start_of_day(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def same_case_reference(first: str, second: str) -> bool:
    return "".join(first.split()).upper() == "".join(second.split()).upper()


def _notes(max_length: int = 2000) -> models.TextField:
    return bounded_text(max_length, blank=True)


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

    def clean(self) -> None:
        super().clean()
        text_stripped(self)
        errors = {}
        if not self.officer_name:
            errors["officer_name"] = "Give your name and rank."
        if self.authorised_on and self.authorised_on > timezone.localdate():
            errors["authorised_on"] = "The date authorised cannot be in the future."
        if errors:
            raise ValidationError(errors)


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
    adults_wishes = _notes()
    consent_refusal_reason = _notes()

    # The risk of publicity itself
    risk_of_locating = models.CharField(max_length=10, choices=Risk.choices)
    risk_of_locating_notes = _notes()
    risk_of_displacement = models.CharField(max_length=10, choices=Risk.choices)
    risk_of_displacement_notes = _notes()
    nrm_status = models.CharField(max_length=20, choices=NrmStatus.choices, blank=True)
    # Asked only of an appeal translated into another language: a language narrows who
    # the child may be to a community, which exploiters and the community itself read.
    risk_of_identifying_community = models.CharField(
        max_length=10, choices=Risk.choices, blank=True
    )
    risk_of_identifying_community_notes = _notes()
    # Asked only when the person has had a public appeal before (appeals.models.people).
    risk_of_photo_album = models.CharField(max_length=10, choices=Risk.choices, blank=True)
    risk_of_photo_album_notes = _notes()
    persons_views = _notes()

    # Content review
    no_immigration_status = models.BooleanField(default=False)
    no_placement_or_address = models.BooleanField(default=False)
    no_school_or_uniform = models.BooleanField(default=False)
    suitable_photo = models.BooleanField(default=False)
    suitable_wording = models.BooleanField(default=False)

    # Decision
    decision = models.CharField(max_length=12, choices=PublicityDecision.choices)
    decision_reason = _notes()
    review_date = models.DateField()
    expires_at = models.DateTimeField(db_index=True)
    four_eyes_required = models.BooleanField()

    # Final approval
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    objects = PublicityCheckQuerySet.as_manager()

    CONTENT_REVIEW = [
        "no_immigration_status",
        "no_placement_or_address",
        "no_school_or_uniform",
        "suitable_photo",
        "suitable_wording",
    ]

    class Meta:
        ordering = ["-completed_at"]
        indexes = [models.Index(fields=["revision", "decision"])]
        # The rules that need nothing but the check's own row; clean() holds them all.
        constraints = [
            models.CheckConstraint(
                name="publicity_check_public_only_without_risk",
                condition=~Q(decision="public")
                | (
                    ~Q(risk_of_locating="yes")
                    & ~Q(risk_of_displacement="yes")
                    & ~Q(risk_of_identifying_community="yes")
                    & ~Q(risk_of_photo_album="yes")
                ),
            ),
            models.CheckConstraint(
                name="publicity_check_locating_risk_explained",
                condition=Q(risk_of_locating="no") | ~Q(risk_of_locating_notes=""),
            ),
            models.CheckConstraint(
                name="publicity_check_displacement_risk_explained",
                condition=Q(risk_of_displacement="no") | ~Q(risk_of_displacement_notes=""),
            ),
            models.CheckConstraint(
                name="publicity_check_community_risk_explained",
                condition=Q(risk_of_identifying_community__in=["no", ""])
                | ~Q(risk_of_identifying_community_notes=""),
            ),
            models.CheckConstraint(
                name="publicity_check_photo_album_risk_explained",
                condition=Q(risk_of_photo_album__in=["no", ""]) | ~Q(risk_of_photo_album_notes=""),
            ),
            models.CheckConstraint(
                name="publicity_check_content_reviewed",
                condition=Q(decision="none")
                | Q(
                    no_immigration_status=True,
                    no_placement_or_address=True,
                    suitable_photo=True,
                    suitable_wording=True,
                ),
            ),
            models.CheckConstraint(
                name="publicity_check_child_school_reviewed",
                condition=Q(decision="none")
                | Q(consent_from="adult")
                | Q(no_school_or_uniform=True),
            ),
            models.CheckConstraint(
                name="publicity_check_decision_explained",
                condition=Q(decision="public") | ~Q(decision_reason=""),
            ),
            models.CheckConstraint(
                name="publicity_check_refusal_explained",
                condition=~Q(consent="refused") | ~Q(consent_refusal_reason=""),
            ),
            models.CheckConstraint(
                name="publicity_check_consent_named",
                condition=Q(consent_from="adult") | ~Q(consent_given_by=""),
            ),
            models.CheckConstraint(
                name="publicity_check_social_worker_named",
                condition=~Q(consent_from="local-authority") | ~Q(social_worker=""),
            ),
            models.CheckConstraint(
                name="publicity_check_adults_wishes_recorded",
                condition=~Q(consent_from="adult") | ~Q(adults_wishes=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.completed_at:%d %b %Y})"

    def save(self, *args, **kwargs):
        self.expires_at = start_of_day(self.review_date)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("appeals_publicity_check_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        text_stripped(self)
        if self.revision_id is None:
            return  # full_clean() reports the missing revision; there is nothing to check
        errors = self.checklist_errors(self.revision.as_object())
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None) -> None:
        # Every constraint repeats a rule of clean(), which gives the message on the
        # answer concerned: checking them again would only repeat it, less clearly.
        return

    def checklist_errors(self, appeal) -> dict[str, str]:
        """Every rule of the checklist, for the version of the appeal it checks.

        The checklist form shows these messages; the service refuses a check that breaks
        one; the database constraints above hold those it can without the appeal.
        """
        today = timezone.localdate(self.completed_at) if self.completed_at else timezone.localdate()
        return {
            **self._authorisation_errors(appeal, today),
            **self._consent_errors(appeal),
            **self._risk_errors(appeal),
            **self._decision_errors(appeal, today),
        }

    def _authorisation_errors(self, appeal, today) -> dict[str, str]:
        errors = {}
        if self.authorised_on and self.authorised_on > today:
            errors["authorised_on"] = "The date authorised cannot be in the future."
        if self.authorising_force_id and self.authorising_force_id != appeal.police_force_id:
            errors["authorising_force"] = (
                f"Publicity must be authorised by the force that owns the case: "
                f"{appeal.police_force}."
            )
        reference = self.authorising_case_reference
        if reference and not same_case_reference(reference, appeal.case_reference):
            errors["authorising_case_reference"] = (
                f"This does not match the appeal's case reference "
                f"({appeal.case_reference}). Check which case was authorised."
            )
        authorisation = self.police_authorisation
        if authorisation and (
            authorisation.appeal_id != self.appeal_id
            or (
                authorisation.force_id,
                authorisation.officer_name,
                authorisation.case_reference,
                authorisation.authorised_on,
            )
            != (
                self.authorising_force_id,
                self.authorising_officer,
                self.authorising_case_reference,
                self.authorised_on,
            )
        ):
            errors["police_authorisation"] = (
                "The police authorisation recorded is not this appeal's, or the check does "
                "not record it as given."
            )
        return errors

    def _consent_errors(self, appeal) -> dict[str, str]:
        errors = {}
        source = self.consent_from
        if source and source not in consent_sources(appeal):
            errors["consent_from"] = (
                "For an adult, record their known wishes."
                if not appeal.is_child
                else "A child in care's consent comes from the local authority."
                if appeal.in_care
                else "A child's consent comes from a parent or guardian, or the local authority."
            )
        elif source == self.ConsentFrom.PARENT and not self.consent_given_by:
            errors["consent_given_by"] = "Give the name of the parent or guardian."
        elif source == self.ConsentFrom.LOCAL_AUTHORITY:
            if not self.consent_given_by:
                errors["consent_given_by"] = "Give the name of the local authority."
            if not self.social_worker:
                errors["social_worker"] = "Give the name of the social worker."
        elif source == self.ConsentFrom.ADULT and not self.adults_wishes:
            errors["adults_wishes"] = (
                "Record what is known of their wishes, or that none are known."
            )
        if self.consent == self.Consent.REFUSED and not self.consent_refusal_reason:
            errors["consent_refusal_reason"] = (
                "Consent was refused: record the police's decision to go ahead and their reason."
            )
        return errors

    def _risk_errors(self, appeal) -> dict[str, str]:
        errors = {}
        for risk in [
            "risk_of_locating",
            "risk_of_displacement",
            "risk_of_identifying_community",
            "risk_of_photo_album",
        ]:
            if getattr(self, risk) not in ("", self.Risk.NO) and not getattr(self, f"{risk}_notes"):
                errors[f"{risk}_notes"] = "Say what the risk is and what was done about it."
        publicised_before = PersonEpisode.objects.publicised_before(appeal.pk)
        if publicised_before and not self.risk_of_photo_album:
            errors["risk_of_photo_album"] = (
                "They have had a public appeal before: say whether another one could add "
                "to the photos that follow them."
            )
        elif not publicised_before and self.risk_of_photo_album:
            errors["risk_of_photo_album"] = "They have had no public appeal before."
        translated = appeal.translations.all()
        if translated and not self.risk_of_identifying_community:
            errors["risk_of_identifying_community"] = (
                f"The appeal is translated into {languages_named(translated)}: say whether "
                "publishing in that language could identify their community."
            )
        elif not translated and self.risk_of_identifying_community:
            errors["risk_of_identifying_community"] = (
                "The appeal has no translation: there is no language to assess."
            )
        if problems := appeal.translation_errors():
            errors["__all__"] = problems
        if appeal.trafficked and not self.nrm_status:
            errors["nrm_status"] = (
                "They are flagged trafficked: give their National Referral Mechanism status."
            )
        return errors

    def _decision_errors(self, appeal, today) -> dict[str, str]:
        errors = {}
        decision = self.decision
        if decision == PublicityDecision.PUBLIC and self.Risk.YES in (
            self.risk_of_locating,
            self.risk_of_displacement,
            self.risk_of_identifying_community,
            self.risk_of_photo_album,
        ):
            errors["decision"] = (
                "A public appeal cannot go ahead while the publicity itself puts them at "
                "risk. Change the appeal to remove the risk, or choose a restricted "
                "briefing or no publicity."
            )
        if decision and decision != PublicityDecision.NONE:
            for name in content_review_items(appeal):
                if not getattr(self, name):
                    errors[name] = "Confirm this before any publicity, or change the appeal."
        if decision in (PublicityDecision.RESTRICTED, PublicityDecision.NONE) and not (
            self.decision_reason
        ):
            errors["decision_reason"] = "Give the reasons for this decision."
        if self.review_date:
            max_days = review_days_for(appeal, PublicitySettings.load())
            if self.review_date <= today:
                errors["review_date"] = "The review date must be after today."
            elif self.review_date > today + timedelta(days=max_days):
                errors["review_date"] = (
                    f"The review date must be within {max_days} days for this appeal."
                )
        return errors

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
