import time
from datetime import date, timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from homeward import roles
from homeward.widgets import PARTS
from sightings.forms import TOKEN_SALT
from tests import factories


def aged_token(appeal_pk: int, *, seconds: float = 30) -> str:
    """A form token issued ``seconds`` ago, as if someone had taken that long to fill it in."""
    return signing.dumps({"appeal": appeal_pk, "issued": time.time() - seconds}, salt=TOKEN_SALT)


def date_parts(day: date | None) -> dict:
    """A date as the form's Day, Month and Year boxes post it (all empty for None)."""
    parts = [day.day, day.month, day.year] if day else ["", "", ""]
    return {f"seen_on_{name}": str(part) for name, part in zip(PARTS, parts, strict=True)}


def sighting_data(appeal, **overrides) -> dict:
    """A complete, anonymous sighting as the form posts it. ``seen_on`` is a date, or None
    for none given; the boxes can be set one by one (``seen_on_month="13"``)."""
    seen_on = overrides.pop("seen_on", timezone.localdate() - timedelta(days=1))
    data = {
        "token": aged_token(appeal.pk),
        **date_parts(seen_on),
        "seen_time": "14:30",
        "location": "Outside the bus station on Station Parade",
        "description": "A girl matching the photo, sitting alone on a bench, looking upset.",
        "clothing": "Black puffer jacket",
        "companions": "",
        "direction": "Towards the town centre",
        "identity": "anonymous",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def appeal(directory):
    return factories.appeal_create(title="Sighted Sabrina")


@pytest.fixture
def report_url(appeal):
    return reverse("sighting-report", args=[appeal.pk])


# Everyone who might ask for a sighting, and whether they may see one of North
# Yorkshire's. Only the owning force and the charity's caseworkers may.
WHO_SEES_SIGHTINGS = [
    ("anonymous", False),
    (roles.EDITORS, False),
    (roles.PUBLISHERS, False),
    (roles.SAFEGUARDING_LEADS, False),
    (roles.ADMINISTRATORS, False),
    ("superuser", False),
    (roles.CASEWORKERS, True),
    ("police of the owning force", True),
    ("police of another force", False),
]
OWNING_FORCE = "north-yorkshire-police"


def staff_of(who: str):
    """A new member of staff who is one of WHO_SEES_SIGHTINGS (None if anonymous)."""
    if who == "anonymous":
        return None
    if who == "superuser":
        return factories.user_create(is_superuser=True, is_staff=True)
    if who == "police of the owning force":
        return factories.user_create(role=roles.POLICE_OFFICERS, force_slug=OWNING_FORCE)
    if who == "police of another force":
        return factories.user_create(role=roles.POLICE_OFFICERS, force_slug="kent-police")
    return factories.user_create(role=who)


def login_as(client, who: str):
    """Sign ``client`` in as one of WHO_SEES_SIGHTINGS; returns the user (None if anonymous)."""
    user = staff_of(who)
    if user is not None:
        client.force_login(user)
    return user
