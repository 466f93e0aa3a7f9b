"""Heroes' tests send real email, through an SMTP server (aiosmtpd) on loopback."""

import pytest

from homeward.models import PoliceForce
from newsletter.models import Hero


@pytest.fixture
def forces(db) -> list[PoliceForce]:
    return list(PoliceForce.objects.order_by("pk")[:3])


def hero_create(
    email: str,
    *,
    areas=(),
    all_of_uk=False,
    urgent_alerts=False,
    status="confirmed",
    language="en-gb",
):
    hero = Hero.objects.create(
        email=email,
        all_of_uk=all_of_uk,
        urgent_alerts=urgent_alerts,
        status=status,
        language=language,
    )
    hero.areas.set(areas)
    return hero
