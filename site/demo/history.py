"""The demo's past: made-up councils, and a year of made-up closed episodes for the trends.

The closed episodes exist only as anonymous statistics rows, as real ones do once their
appeals have been purged: no person is invented for them.
"""

import random
from datetime import timedelta

from django.utils import timezone

from appeals.models import EpisodeStatistic
from appeals.models.statistics import AGE_BANDS, month_of
from appeals.trends import months_back
from homeward.models import LocalAuthority, PoliceForce

# Made-up councils: no real local authority is named.
DEMO_COUNCILS = [
    "Demo County Council",
    "Exampleshire Council",
    "Fictional Borough Council",
    "Sampleton City Council",
]
EPISODES_A_MONTH = (14, 30)


def demo_councils() -> list[LocalAuthority]:
    return [
        LocalAuthority.objects.get_or_create(
            name=name,
            defaults={"return_home_email": f"return-home@{index}.council.invalid"},
        )[0]
        for index, name in enumerate(DEMO_COUNCILS)
    ]


def demo_history_load(*, force_slugs: list[str]) -> None:
    """Twelve months of closed episodes, once (a second run adds none)."""
    if EpisodeStatistic.objects.exists():
        return
    rng = random.Random("homeward-demo-history")
    forces = list(PoliceForce.objects.filter(slug__in=force_slugs))
    councils = demo_councils()
    rows = []
    for closed_month in months_back(until=timezone.localdate(), count=12):
        for _ in range(rng.randint(*EPISODES_A_MONTH)):
            rows.append(_episode(rng, closed_month=closed_month, forces=forces, councils=councils))
    EpisodeStatistic.objects.bulk_create(rows)


def _episode(rng, *, closed_month, forces, councils) -> EpisodeStatistic:
    age_band = rng.choices([label for _, label in AGE_BANDS], weights=[3, 18, 40, 12, 10, 10, 7])[0]
    child = age_band in {"Under 12", "12 to 14", "15 to 17"}
    unaccompanied = child and rng.random() < 0.15
    in_care = child and (unaccompanied or rng.random() < 0.35)
    trafficked = child and rng.random() < 0.12
    found = rng.random() < 0.9
    days_missing = min(int(rng.expovariate(1 / 6)), 300)
    sightings = int(rng.expovariate(1 / 4))
    missing_month = month_of(closed_month - timedelta(days=days_missing))
    return EpisodeStatistic(
        missing_month=min(missing_month, closed_month),
        closed_month=closed_month,
        police_force=rng.choice(forces),
        local_authority=rng.choice(councils) if in_care else None,
        age_band=age_band,
        trafficked=trafficked,
        unaccompanied=unaccompanied,
        in_care=in_care,
        risk_level="high" if trafficked or unaccompanied else rng.choice(["high", "medium", "low"]),
        outcome="found" if found else "withdrawn",
        # Children in care go missing again most often.
        episode_number=1 + int(rng.expovariate(1 / (1.5 if in_care else 0.3))),
        days_missing=days_missing,
        # Unaccompanied children often go missing within days of arriving.
        days_from_arrival=int(rng.expovariate(1 / 20)) if unaccompanied else None,
        sightings=sightings,
        median_minutes_to_triage=int(rng.expovariate(1 / 40)) if sightings else None,
        takedown_seconds=rng.randint(3, 90),
        return_home=(
            rng.choices(["in-time", "late", "not-held"], weights=[63, 25, 12])[0]
            if found and child
            else ""
        ),
    )
