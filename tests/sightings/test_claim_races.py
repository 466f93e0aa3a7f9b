"""Two officers can never claim the same sighting: proved with threads on PostgreSQL."""

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from homeward import roles
from sightings import services
from sightings.models import Sighting
from tests import factories
from tests.sightings.conftest import OWNING_FORCE

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (DATABASE_URL)"
    ),
]
OFFICERS = 8


def run_together(work, count: int) -> list:
    """Run ``work(n)`` in ``count`` threads released at the same moment; their results."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(n: int) -> None:
        try:
            barrier.wait()
            results[n] = work(n)
        except Exception as error:
            results[n] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def officers():
    return [
        factories.user_create(role=roles.POLICE_OFFICERS, force_slug=OWNING_FORCE)
        for _ in range(OFFICERS)
    ]


def test_eight_officers_claiming_one_sighting_at_once_one_wins(appeal, officers):
    sighting = factories.sighting_create(appeal)

    def claim(n: int):
        return services.sighting_claim(
            sighting=Sighting.objects.get(pk=sighting.pk), user=officers[n]
        )

    results = run_together(claim, OFFICERS)
    won = [result for result in results if isinstance(result, Sighting)]
    refused = [result for result in results if isinstance(result, services.SightingRefused)]
    assert len(won) == 1 and len(refused) == OFFICERS - 1, results
    sighting.refresh_from_db()
    assert sighting.claimed_by == won[0].claimed_by
    assert all("has already claimed this sighting" in refusal.message for refusal in refused)


def test_officers_claiming_next_at_once_each_get_a_different_sighting(appeal, officers):
    for _ in range(OFFICERS * 3):
        factories.sighting_create(appeal)

    def claim_three(n: int):
        return [services.sighting_claim_next(user=officers[n]).pk for _ in range(3)]

    results = run_together(claim_three, OFFICERS)
    assert not [result for result in results if isinstance(result, Exception)], results
    claimed = Counter(pk for result in results for pk in result)
    assert len(claimed) == OFFICERS * 3 and set(claimed.values()) == {1}
    assert not Sighting.objects.filter(claimed_by__isnull=True).exists()
