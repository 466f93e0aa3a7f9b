"""What staff and police know of an appeal and the public never sees: the police case
reference, the risk (the police's level, and the effective level every reader uses), the
safeguarding flags, the council responsible for a child, and when an unaccompanied child
arrived. An abstract part of AppealPage (appeals.models.pages), with its rules and
constraints: no public template, feed, meta tag or search index may use these fields.
"""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q

from appeals.models.people import PersonEpisode
from homeward.models import LocalAuthority
from homeward.text import validate_single_line


class RiskLevel(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"
    NO_APPARENT_RISK = "no-apparent-risk", "No apparent risk"


# Highest first: a level later in this list is lower.
RISK_LEVELS_HIGHEST_FIRST = tuple(RiskLevel.values)


def risk_is_lower(level: str | None, than: str | None) -> bool:
    """Whether ``level`` is lower than ``than`` (a blank level is no level: never lower)."""
    if level not in RISK_LEVELS_HIGHEST_FIRST or than not in RISK_LEVELS_HIGHEST_FIRST:
        return False
    return RISK_LEVELS_HIGHEST_FIRST.index(level) > RISK_LEVELS_HIGHEST_FIRST.index(than)


class AppealSafeguarding(models.Model):
    RiskLevel = RiskLevel

    case_reference = models.CharField(
        "police case reference", max_length=50, validators=[validate_single_line]
    )
    police_risk_level = models.CharField(
        "police risk level", max_length=20, choices=RiskLevel.choices
    )
    police_risk_reason = models.TextField(
        "why the police level is lower",
        max_length=1000,
        blank=True,
        validators=[MaxLengthValidator(1000)],
        help_text="A trafficked or unaccompanied child is treated as high risk by everyone, "
        "whatever the police level, and risk does not fade because someone goes missing "
        "again. If the police recorded a level lower than high for such a child, or lower "
        "than their previous episode's, say why.",
    )
    # What alerts, the triage queue and every other reader use: set by save().
    risk_level = models.CharField(
        "effective risk level", max_length=20, choices=RiskLevel.choices, editable=False
    )
    in_care = models.BooleanField("child in care", default=False)
    trafficked = models.BooleanField("trafficked or suspected trafficked", default=False)
    unaccompanied_asylum_seeking = models.BooleanField(
        "unaccompanied asylum-seeking child", default=False
    )
    domestic_abuse = models.BooleanField("domestic-abuse context", default=False)
    local_authority = models.ForeignKey(
        LocalAuthority,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a child in care, or an unaccompanied child: the council responsible "
        "for them. Its designated manager sees their episodes.",
    )
    arrived_in_uk_on = models.DateField(
        "date they arrived in the UK",
        null=True,
        blank=True,
        help_text="For an unaccompanied child, where known: trends show how soon after "
        "arriving children go missing.",
    )

    class Meta:
        abstract = True
        constraints = [
            # A trafficked or unaccompanied child is high risk, whatever writes the row.
            models.CheckConstraint(
                name="appeal_flagged_child_high_risk",
                condition=Q(is_child=False)
                | Q(trafficked=False, unaccompanied_asylum_seeking=False)
                | Q(risk_level="high"),
            ),
            models.CheckConstraint(
                name="appeal_lower_police_risk_explained",
                condition=Q(is_child=False)
                | Q(trafficked=False, unaccompanied_asylum_seeking=False)
                | Q(police_risk_level__in=["high", ""])
                | ~Q(police_risk_reason=""),
            ),
            # A police review may bring the effective level below the referral level
            # (appeals.models.risk), so the row alone cannot tell a right level from a
            # wrong one: the review's rules and its history hold that. The row still
            # never holds a level that is neither one of the levels nor the police's.
            models.CheckConstraint(
                name="appeal_risk_level_known",
                condition=Q(risk_level__in=["high", "medium", "low", "no-apparent-risk"])
                | Q(risk_level=F("police_risk_level")),
            ),
        ]

    def safeguarding_errors(self) -> dict[str, str]:
        """What is wrong with these fields, once the ages are derived (the page's clean());
        derives the effective risk on the way."""
        errors = {}
        if not self.is_child and self.unaccompanied_asylum_seeking:
            errors["unaccompanied_asylum_seeking"] = "Only a child can be flagged as this."
        if not self.is_child and self.in_care:
            errors["in_care"] = "Only a child can be flagged as in care."
        elif self.in_care and self.local_authority_id is None:
            errors["local_authority"] = (
                "Choose the local authority responsible for this child in care."
            )
        if (
            self.arrived_in_uk_on
            and self.missing_since
            and self.arrived_in_uk_on > self.missing_since
        ):
            errors["arrived_in_uk_on"] = "They must have arrived before they went missing."
        self.derive_risk()
        if self.police_risk_below_high and not self.police_risk_reason:
            errors["police_risk_reason"] = (
                "A trafficked or unaccompanied child is treated as high risk. Say why the "
                "police recorded a lower level."
            )
        elif (previous := self.previous_episode_risk_level()) and not self.police_risk_reason:
            errors["police_risk_reason"] = (
                f"Their previous episode ended at {RiskLevel(previous).label.lower()} "
                "risk, and risk does not fade because they go missing again. Say why the "
                "police recorded a lower level."
            )
        return errors

    @property
    def always_high_risk(self) -> bool:
        """A trafficked or unaccompanied child: high risk to everyone, whatever the police
        level (the safeguarding guidance the service follows)."""
        return self.is_child and (self.trafficked or self.unaccompanied_asylum_seeking)

    @property
    def police_risk_below_high(self) -> bool:
        """The police recorded a level lower than the child's effective high risk."""
        return self.always_high_risk and self.police_risk_level not in ("", RiskLevel.HIGH)

    def previous_episode_risk_level(self) -> str | None:
        """The risk their previous episode ended at, if the police level is lower."""
        if not self.pk or not self.police_risk_level:
            return None
        previous = PersonEpisode.objects.risk_level_before(
            appeal_id=self.pk, missing_since=self.missing_since
        )
        return previous if risk_is_lower(self.police_risk_level, previous) else None

    def derive_risk(self) -> None:
        """The effective risk: the level of the latest police assessment (the level recorded
        at referral until there is one), raised to high for a flagged child. The reason is
        kept only while it explains a lower police level for such a child, or one lower
        than their previous episode's.

        It reads the history as it is now, so the page and its live revision's copy
        (with_content_json) derive the same level, and a review needs no new check."""
        level = (self.pk and self.risk_assessments.level_in_force()) or self.police_risk_level
        self.risk_level = RiskLevel.HIGH if self.always_high_risk else level
        explained = self.police_risk_below_high or self.previous_episode_risk_level()
        self.police_risk_reason = self.police_risk_reason.strip() if explained else ""
