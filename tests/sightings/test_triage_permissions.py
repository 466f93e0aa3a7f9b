"""The police triage queue's permission matrix: everyone who might ask, on every admin URL
of the queue, against one sighting built once for the module."""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from sightings.models import (
    Sighting,
    SightingLogEntry,
    SightingNote,
    SightingTranslation,
    ThriveAssessment,
)
from tests import factories
from tests.sightings.conftest import WHO_SEES_SIGHTINGS, staff_of
from tests.sightings.test_triage import THRIVE

pytestmark = pytest.mark.django_db

# Every admin URL of the queue: (name, method, needs a sighting, POST data).
ADMIN_URLS = [
    ("sightings:index", "get", False, None),
    ("sightings:inspect", "get", True, None),
    ("sightings:history", "get", True, None),
    ("sightings:photo", "get", True, None),
    ("sightings:index?q=Quillon", "get", False, None),
    ("sightings:index?export=csv", "get", False, None),
    ("sightings:index?export=xlsx", "get", False, None),
    ("claim", "post", True, {}),
    ("release", "post", True, {}),
    ("pass-on", "post", True, {}),
    ("assess", "post", True, THRIVE),
    ("close", "post", True, {"reason": "actioned"}),
    ("note", "post", True, {"text": "Called the reporter back."}),
    ("translate", "post", True, {"text": "I saw her at the station.", "translated_by": "Int 7"}),
    ("sightings:claim_next", "post", False, {}),
    ("sightings:print", "post", False, {}),
    ("sightings:close_duplicates", "post", False, {"original": "S-0000-0000"}),
]


STEPS = {"claim", "release", "pass-on", "assess", "close", "note", "translate"}


def _request(client, name, method, needs_sighting, data, sighting):
    if name in STEPS:
        url = reverse("sightings:act", args=[sighting.public_id, name])
    elif "?" in name:
        base, query = name.split("?")
        url = f"{reverse(base)}?{query}"
    else:
        url = reverse(name, args=[sighting.public_id] if needs_sighting else [])
    if data is not None:
        data = {**data, "ids": [sighting.public_id]}
    return getattr(client, method)(url, data)


@pytest.fixture(scope="module")
def matrix_rows(module_rows):
    """Built once for the permission matrix: a sighting with a named witness and a photo,
    and a member of staff for each of WHO_SEES_SIGHTINGS."""
    appeal = factories.appeal_create(title="Sighted Sabrina")
    sighting = factories.sighting_create(
        appeal, photo=True, identity="named", name="Witness Quillon", phone="07700 900123"
    )
    Sighting.objects.filter(pk=sighting.pk).update(language="ps")  # so it may be translated
    return sighting.pk, {who: getattr(staff_of(who), "pk", None) for who, _ in WHO_SEES_SIGHTINGS}


@pytest.mark.parametrize(("who", "allowed"), WHO_SEES_SIGHTINGS)
@pytest.mark.parametrize(("name", "method", "needs_sighting", "data"), ADMIN_URLS)
def test_permission_matrix(client, matrix_rows, who, allowed, name, method, needs_sighting, data):
    """Role by role and force by force, on every admin URL: enforced on the object."""
    sighting_id, staff_ids = matrix_rows
    sighting = Sighting.objects.get(pk=sighting_id)
    user = staff_ids[who] and get_user_model().objects.get(pk=staff_ids[who])
    if user:
        client.force_login(user)
    response = _request(client, name, method, needs_sighting, data, sighting)
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode(errors="replace")
    sighting.refresh_from_db()
    if not allowed:
        if who == "police of another force":
            # Their own (empty) queue, or a refusal: never this sighting.
            assert response.status_code in {200, 302, 404}, response.status_code
        else:
            assert response.status_code in {302, 404}, response.status_code
        if response.status_code == 302:
            location = urlsplit(response["Location"]).path
            assert location in {"/admin/login/", "/admin/", reverse("sightings:index")}
        assert "Witness Quillon" not in body and sighting.reference not in body
        assert sighting.claimed_by is None and sighting.status == Sighting.Status.NEW
        assert not SightingNote.objects.exists() and not ThriveAssessment.objects.exists()
        assert not SightingTranslation.objects.exists()
        assert not SightingLogEntry.objects.filter(object_id=sighting.pk, user=user).exists()
        return
    assert response.status_code in {200, 302}, response.status_code
    if response.status_code == 302:
        assert "/admin/login/" not in response["Location"]
    if name in {"sightings:index", "sightings:inspect", "sightings:index?q=Quillon"}:
        assert sighting.reference in body
    if name == "sightings:index?export=csv":
        assert sighting.reference in body and "Witness Quillon" in body
    if name == "sightings:inspect":
        assert "Witness Quillon" in body
