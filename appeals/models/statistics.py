"""The anonymous record of each publicised episode, kept for the trends after the purge.

Written when an appeal is closed (found or withdrawn) after going public, in the closing
transaction. It holds no name, no date of birth (an age band), no exact date (months), no
free text and nothing that points back to the person: until the retention purge, a link
to the takedown record lets later figures (how long the takedown took, whether the return
home interview was held) be filled in; the purge cuts it (appeals.services.retention).
"""

from datetime import date

from django.db import models
from django.db.models import Q

from homeward.models import LocalAuthority, PoliceForce

# Upper bounds (exclusive) of the age bands, as (bound, label) pairs.
AGE_BANDS = (
    (12, "Under 12"),
    (15, "12 to 14"),
    (18, "15 to 17"),
    (25, "18 to 24"),
    (40, "25 to 39"),
    (65, "40 to 64"),
    (200, "65 and over"),
)


CHILD_AGE_BANDS = tuple(label for bound, label in AGE_BANDS if bound <= 18)


def age_band_of(age: int | None) -> str:
    if age is None:
        return ""
    return next(label for bound, label in AGE_BANDS if age < bound)


def month_of(day: date) -> date:
    return day.replace(day=1)


class EpisodeStatistic(models.Model):
    class Outcome(models.TextChoices):
        FOUND = "found", "Found"
        WITHDRAWN = "withdrawn", "Publicity withdrawn"

    class ReturnHome(models.TextChoices):
        NOT_DUE = "", "Not due (not a child found)"
        OUTSTANDING = "outstanding", "Not yet recorded"
        IN_TIME = "in-time", "Held within 72 hours"
        LATE = "late", "Held after 72 hours"
        NOT_HELD = "not-held", "Not held"

    # Cut by the retention purge: from then on nothing links this row to anyone.
    takedown = models.OneToOneField(
        "appeals.AppealTakedown",
        null=True,
        on_delete=models.SET_NULL,
        related_name="statistic",
    )
    missing_month = models.DateField(help_text="The first day of the month they went missing.")
    closed_month = models.DateField(help_text="The first day of the month it was closed.")
    police_force = models.ForeignKey(PoliceForce, on_delete=models.PROTECT, related_name="+")
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, on_delete=models.PROTECT, related_name="+"
    )
    age_band = models.CharField(max_length=20, choices=[(label, label) for _, label in AGE_BANDS])
    trafficked = models.BooleanField()
    unaccompanied = models.BooleanField()
    in_care = models.BooleanField()
    risk_level = models.CharField(max_length=20)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    episode_number = models.PositiveSmallIntegerField(
        default=1, help_text="The person's how-many-th known episode this was."
    )
    days_missing = models.PositiveIntegerField(help_text="From going missing to closing.")
    days_from_arrival = models.PositiveIntegerField(
        null=True, help_text="From arriving in the UK to going missing, where recorded."
    )
    sightings = models.PositiveIntegerField(default=0)
    median_minutes_to_triage = models.PositiveIntegerField(null=True)
    takedown_seconds = models.PositiveIntegerField(null=True)
    return_home = models.CharField(
        max_length=20, choices=ReturnHome.choices, blank=True, default=ReturnHome.NOT_DUE
    )

    class Meta:
        ordering = ["closed_month", "pk"]
        indexes = [models.Index(fields=["closed_month"], name="episode_statistic_month")]
        constraints = [
            models.CheckConstraint(
                name="episode_statistic_months",
                condition=Q(missing_month__lte=models.F("closed_month")),
            ),
        ]

    def __str__(self) -> str:
        return f"Episode closed {self.closed_month:%B %Y} ({self.get_outcome_display()})"
