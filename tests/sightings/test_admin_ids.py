"""Sightings are named in admin URLs by a random public id, never by their sequential
database id: no one can count them, or walk from one to the next."""

import uuid
from importlib import import_module

import pytest
from django.apps import apps as installed_apps
from django.urls import reverse

from homeward import roles
from sightings.models import Sighting
from tests import factories
from tests.sightings.conftest import login_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def sighting(appeal):
    return factories.sighting_create(appeal, photo=True)


@pytest.fixture
def caseworker(client):
    return login_as(client, roles.CASEWORKERS)


def test_every_admin_url_of_a_sighting_carries_its_public_id(sighting):
    public_id = str(sighting.public_id)
    uuid.UUID(public_id, version=4)
    urls = [
        reverse("sightings:inspect", args=[sighting.public_id]),
        reverse("sightings:photo", args=[sighting.public_id]),
        reverse("sightings:act", args=[sighting.public_id, "claim"]),
    ]
    for url in urls:
        assert public_id in url and f"/{sighting.pk}/" not in url


@pytest.mark.parametrize("suffix", ["", "photo/", "claim/"])
def test_the_sequential_id_answers_404(client, caseworker, sighting, suffix):
    method = client.post if suffix == "claim/" else client.get
    assert method(f"/admin/sightings/{sighting.pk}/{suffix}").status_code == 404
    assert method(f"/admin/sightings/{sighting.public_id}/{suffix}").status_code in {200, 302}


def test_pages_link_to_sightings_by_public_id(client, caseworker, appeal, sighting):
    repeat = factories.sighting_create(appeal, description="The same again")
    original = Sighting.objects.get(pk=sighting.pk)
    Sighting.objects.filter(pk=repeat.pk).update(
        status=Sighting.Status.CLOSED,
        close_reason=Sighting.CloseReason.DUPLICATE,
        closed_at=original.received_at,
        duplicate_of=original,
    )
    queue = client.get(reverse("sightings:index")).content.decode()
    detail = client.get(reverse("sightings:inspect", args=[sighting.public_id])).content.decode()
    closed = client.get(reverse("sightings:inspect", args=[repeat.public_id])).content.decode()
    assert f"/admin/sightings/{sighting.public_id}/" in queue
    assert f'name="ids" value="{sighting.public_id}"' in queue  # the boxes ticked for export
    assert f"/admin/sightings/{repeat.public_id}/" in detail  # its duplicates
    assert f"/admin/sightings/{sighting.public_id}/" in closed  # what it duplicates
    for html in [queue, detail, closed]:
        for row in [sighting, repeat]:
            assert f"/admin/sightings/{row.pk}/" not in html
            # The boxes ticked for export (the filters' options carry forces' and appeals' ids).
            assert f'name="ids" value="{row.pk}"' not in html


def test_the_public_id_is_unique_and_indexed():
    field = Sighting._meta.get_field("public_id")
    assert field.unique and not field.null and not field.editable


def test_existing_sightings_get_distinct_public_ids(appeal):
    """The migration's fill gives every row a fresh random id of its own."""
    for number in range(3):
        factories.sighting_create(appeal, description=f"Seen {number}")
    before = set(Sighting.objects.values_list("public_id", flat=True))
    fill = import_module("sightings.migrations.0010_fill_sighting_public_id").fill
    fill(installed_apps, None)
    after = set(Sighting.objects.values_list("public_id", flat=True))
    assert len(after) == 3 and not after & before
