"""Trends and patterns in publicised episodes, from the anonymous statistics rows.

Who sees which rows: staff whose role grants ``appeals.view_episodestatistic`` and every
force see them all; a local authority's designated manager, their own children's only.
Every count from 1 to 4 is shown as "fewer than 5", in the charts, the tables and the
CSV, so that no small group of children can be picked out.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from appeals.models import EpisodeStatistic
from appeals.models.statistics import AGE_BANDS, CHILD_AGE_BANDS
from homeward.capabilities import SEE_EVERY_FORCE
from homeward.charts import Bar
from homeward.models import LocalAuthority, LocalAuthorityManager, PoliceForce

VIEW_TRENDS = "appeals.view_episodestatistic"
SUPPRESSED_BELOW = 5
FEWER_THAN = f"fewer than {SUPPRESSED_BELOW}"


def may_see_trends(user) -> bool:
    """Staff whose role grants the trends for every force, or a council's manager."""
    return (
        user.is_active
        and user.has_perm(VIEW_TRENDS)
        and (
            user.has_perm(SEE_EVERY_FORCE)
            or LocalAuthorityManager.local_authority_id_of(user) is not None
        )
    )


def episode_statistics_visible_to(user) -> QuerySet[EpisodeStatistic]:
    if not may_see_trends(user):
        return EpisodeStatistic.objects.none()
    if user.has_perm(SEE_EVERY_FORCE):
        return EpisodeStatistic.objects.all()
    return EpisodeStatistic.objects.filter(
        local_authority_id=LocalAuthorityManager.local_authority_id_of(user)
    )


def count_shown(value: int) -> str:
    return FEWER_THAN if 0 < value < SUPPRESSED_BELOW else f"{value:,}"


@dataclass(frozen=True)
class Breakdown:
    slug: str
    title: str
    note: str
    counts: list[tuple[str, int]]

    @property
    def bars(self) -> list[Bar]:
        return [
            Bar(label, value, count_shown(value), drawn=not 0 < value < SUPPRESSED_BELOW)
            for label, value in self.counts
        ]

    @property
    def is_empty(self) -> bool:
        return not any(value for _, value in self.counts)


def months_back(*, until: date, count: int) -> list[date]:
    """The first days of the ``count`` months up to and including ``until``'s, oldest first."""
    months, year, month = [], until.year, until.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _bucketed(values, buckets) -> list[tuple[str, int]]:
    """Counts of values per (label, lowest, below) bucket, in the buckets' order."""
    counts = Counter()
    for value in values:
        for label, lowest, below in buckets:
            if lowest <= value < below:
                counts[label] += 1
                break
    return [(label, counts[label]) for label, _, _ in buckets]


def _named(counter: Counter, names: dict, *, none_label: str) -> list[tuple[str, int]]:
    """Counts per named thing (a force, a council), largest first."""
    return sorted(
        ((names.get(key, none_label), count) for key, count in counter.items()),
        key=lambda row: (-row[1], row[0]),
    )


EPISODE_NUMBERS = [
    ("First known", 1, 2),
    ("Second", 2, 3),
    ("Third", 3, 4),
    ("Fourth or later", 4, 10**6),
]
TIME_TO_FOUND = [
    ("The same day", 0, 1),
    ("1 day", 1, 2),
    ("2 to 6 days", 2, 7),
    ("1 to 4 weeks", 7, 28),
    ("4 weeks or more", 28, 10**6),
]
ARRIVAL_TO_MISSING = [
    ("Within a week", 0, 7),
    ("1 to 4 weeks", 7, 28),
    ("1 to 3 months", 28, 91),
    ("More than 3 months", 91, 10**6),
]
SIGHTINGS_PER_APPEAL = [
    ("None", 0, 1),
    ("1 to 4", 1, 5),
    ("5 to 19", 5, 20),
    ("20 or more", 20, 10**9),
]
MINUTES_TO_TRIAGE = [
    ("Under 15 minutes", 0, 15),
    ("15 to 59 minutes", 15, 60),
    ("1 to 4 hours", 60, 240),
    ("4 hours or more", 240, 10**9),
]
TAKEDOWN_SECONDS = [
    ("Under a minute", 0, 60),
    ("1 to 5 minutes", 60, 300),
    ("5 minutes or more", 300, 10**9),
]

FIELDS = (
    "closed_month",
    "police_force_id",
    "local_authority_id",
    "age_band",
    "trafficked",
    "unaccompanied",
    "in_care",
    "outcome",
    "episode_number",
    "days_missing",
    "days_from_arrival",
    "sightings",
    "median_minutes_to_triage",
    "takedown_seconds",
    "return_home",
)


def trends_breakdowns(statistics: QuerySet[EpisodeStatistic], *, months: list[date]):
    """Every chart's counts over the given months (by the month each episode closed)."""
    rows = list(
        statistics.filter(closed_month__gte=months[0], closed_month__lte=months[-1]).values(*FIELDS)
    )
    forces = dict(PoliceForce.objects.values_list("pk", "name"))
    councils = dict(LocalAuthority.objects.values_list("pk", "name"))
    per_month = Counter(row["closed_month"] for row in rows)
    found = [row for row in rows if row["outcome"] == EpisodeStatistic.Outcome.FOUND]
    flags = Counter()
    for row in rows:
        flagged = [name for name in ("trafficked", "unaccompanied", "in_care") if row[name]]
        flags.update(flagged or ["none"])
    return_home = Counter(row["return_home"] for row in rows if row["return_home"])
    return [
        Breakdown(
            "per-month",
            "Episodes closed, by month",
            "Each publicised episode, counted in the month its appeal closed.",
            [(f"{month:%B %Y}", per_month[month]) for month in months],
        ),
        Breakdown(
            "by-force",
            "By police force",
            "The force that owned the case.",
            _named(Counter(r["police_force_id"] for r in rows), forces, none_label="Unknown"),
        ),
        Breakdown(
            "by-local-authority",
            "By local authority",
            "The council responsible for a child in care or an unaccompanied child.",
            _named(
                Counter(r["local_authority_id"] for r in rows), councils, none_label="None recorded"
            ),
        ),
        Breakdown(
            "by-flag",
            "By safeguarding flag",
            "An episode with more than one flag is counted under each.",
            [
                ("Trafficked or suspected", flags["trafficked"]),
                ("Unaccompanied asylum-seeking child", flags["unaccompanied"]),
                ("Child in care", flags["in_care"]),
                ("None of these", flags["none"]),
            ],
        ),
        Breakdown(
            "by-age",
            "Age when they went missing",
            "",
            [(label, sum(r["age_band"] == label for r in rows)) for _, label in AGE_BANDS],
        ),
        Breakdown(
            "outcomes",
            "Outcomes",
            "",
            [
                (label, sum(r["outcome"] == value for r in rows))
                for value, label in EpisodeStatistic.Outcome.choices
            ],
        ),
        Breakdown(
            "repeat-episodes",
            "Which episode it was for the person",
            "As far as staff have linked a person's appeals: missing again is no reason to "
            "think them at less risk.",
            _bucketed((r["episode_number"] for r in rows), EPISODE_NUMBERS),
        ),
        Breakdown(
            "time-to-found",
            "Time from going missing to being found",
            "Found episodes only, in whole days.",
            _bucketed((r["days_missing"] for r in found), TIME_TO_FOUND),
        ),
        Breakdown(
            "arrival-to-missing",
            "Time from arriving in the UK to going missing",
            "Where the date of arrival was recorded (unaccompanied children).",
            _bucketed(
                (r["days_from_arrival"] for r in rows if r["days_from_arrival"] is not None),
                ARRIVAL_TO_MISSING,
            ),
        ),
        Breakdown(
            "sightings",
            "Sightings reported per appeal",
            "",
            _bucketed((r["sightings"] for r in rows), SIGHTINGS_PER_APPEAL),
        ),
        Breakdown(
            "triage",
            "How soon sightings were taken up",
            "Per appeal: the median time its sightings waited for an officer.",
            _bucketed(
                (
                    r["median_minutes_to_triage"]
                    for r in rows
                    if r["median_minutes_to_triage"] is not None
                ),
                MINUTES_TO_TRIAGE,
            ),
        ),
        Breakdown(
            "takedown",
            "Time to take an appeal down everywhere",
            "From closing until every copy was removed.",
            _bucketed(
                (r["takedown_seconds"] for r in rows if r["takedown_seconds"] is not None),
                TAKEDOWN_SECONDS,
            ),
        ),
        Breakdown(
            "return-home",
            "Return home interviews",
            "Children found.",
            [
                (label, return_home[value])
                for value, label in EpisodeStatistic.ReturnHome.choices
                if value
            ],
        ),
    ]


def trends_filter(statistics, *, police_force=None, local_authority=None, flag="", children=False):
    if police_force:
        statistics = statistics.filter(police_force=police_force)
    if local_authority:
        statistics = statistics.filter(local_authority=local_authority)
    if flag in {"trafficked", "unaccompanied", "in_care"}:
        statistics = statistics.filter(**{flag: True})
    if children:
        statistics = statistics.filter(age_band__in=CHILD_AGE_BANDS)
    return statistics


FLAG_CHOICES = [
    ("", "Any"),
    ("trafficked", "Trafficked or suspected"),
    ("unaccompanied", "Unaccompanied asylum-seeking child"),
    ("in_care", "Child in care"),
]
