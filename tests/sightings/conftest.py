import time
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from sightings.forms import TOKEN_SALT
from tests import factories


def aged_token(appeal_pk: int, *, seconds: float = 30) -> str:
    """A form token issued ``seconds`` ago, as if someone had taken that long to fill it in."""
    return signing.dumps({"appeal": appeal_pk, "issued": time.time() - seconds}, salt=TOKEN_SALT)


def sighting_data(appeal, **overrides) -> dict:
    """A complete, anonymous sighting as the form posts it."""
    data = {
        "token": aged_token(appeal.pk),
        "seen_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
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
