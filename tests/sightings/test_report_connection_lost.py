"""A report whose database connection is cut is stored on a fresh one, once; if it still
cannot be stored the reporter keeps every answer and is told to send it again."""

import pytest
from django.db import OperationalError

from sightings import views
from sightings.models import Sighting
from tests.sightings.conftest import sighting_data

# Without a test transaction around it: the view closes a dropped connection.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DROPPED = OperationalError("terminating connection due to administrator command")


def failing_first(times: int, monkeypatch):
    real = views.sighting_create
    calls = []

    def sighting_create(**kwargs):
        calls.append(kwargs)
        if len(calls) <= times:
            raise DROPPED
        return real(**kwargs)

    monkeypatch.setattr(views, "sighting_create", sighting_create)
    return calls


def test_a_dropped_connection_is_retried_once_and_the_report_stored(
    client, appeal, report_url, monkeypatch
):
    calls = failing_first(1, monkeypatch)
    response = client.post(report_url, sighting_data(appeal))
    assert response.status_code == 302
    assert len(calls) == 2 and Sighting.objects.count() == 1


def test_when_it_cannot_be_stored_the_reporter_keeps_their_answers(
    client, appeal, report_url, monkeypatch
):
    failing_first(2, monkeypatch)
    data = sighting_data(appeal, location="By the canal lock gates")
    response = client.post(report_url, data)
    assert response.status_code == 503
    html = response.content.decode()
    assert "send it again" in html and "999" in html
    assert "By the canal lock gates" in html and data["description"] in html
    assert Sighting.objects.count() == 0
