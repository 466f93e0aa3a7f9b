"""Where a sighting stands in the police triage queue.

Urgent sightings ("I am with them now") come first, newest first. Every other sighting
has a score in points, and its place in the queue is its arrival time moved forward by
one hour per point: a sighting for a high-risk appeal that came in twelve hours ago ranks
with a low-risk one that has just arrived, and a fresh sighting always beats an older one
with the same points. So recency counts, and the rank is a stored time the queue's index
can order by.

Points:
- the appeal's effective risk level (high for a trafficked or unaccompanied child, whatever
  the police recorded): high 12, medium 6, low or no apparent risk 0;
- a photo: 2;
- corroboration: 2 for each other sighting of the same appeal seen within two hours of
  it and, where both carry a map point, within two kilometres; at most 3 counted. Both
  sightings of such a pair gain, when the later one comes in.
"""

import math
from datetime import datetime, timedelta

RISK_POINTS = {"high": 12, "medium": 6}
PHOTO_POINTS = 2
CORROBORATION_POINTS = 2
CORROBORATIONS_COUNTED = 3
CORROBORATION_WINDOW = timedelta(hours=2)
CORROBORATION_KILOMETRES = 2.0
# A viral appeal can have thousands of sightings in two hours: look at the latest few.
CORROBORATION_CANDIDATES = 200


def priority_points(*, risk_level: str, has_photo: bool, corroborations: int) -> int:
    return (
        RISK_POINTS.get(risk_level, 0)
        + (PHOTO_POINTS if has_photo else 0)
        + CORROBORATION_POINTS * min(corroborations, CORROBORATIONS_COUNTED)
    )


def queue_rank(*, received_at: datetime, with_them_now: bool, points: int) -> datetime:
    if with_them_now:
        return received_at  # urgent ones are ordered apart, newest first
    return received_at + timedelta(hours=points)


def kilometres_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(h))
