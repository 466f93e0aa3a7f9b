"""A human translation of a sighting written in another language: added by whoever works
it, shown beside the reporter's own words, kept, audited, and in the case file."""

import pytest
from django.urls import reverse

from sightings.models import Sighting, SightingLogEntry, SightingTranslation
from tests import factories
from tests.sightings.conftest import login_as

pytestmark = pytest.mark.django_db

PASHTO_WORDS = "ما هغه د اورګاډي په تمځای کې ولیده"  # "I saw her at the railway station"


@pytest.fixture
def in_pashto(appeal):
    sighting = factories.sighting_create(appeal, description=PASHTO_WORDS)
    Sighting.objects.filter(pk=sighting.pk).update(language="ps")
    sighting.refresh_from_db()
    return sighting


def translate(client, sighting, **data):
    return client.post(reverse("sightings:act", args=[sighting.public_id, "translate"]), data)


def test_an_officer_adds_a_translation_shown_beside_the_reporter_s_words(client, in_pashto):
    officer = login_as(client, "police of the owning force")
    response = translate(
        client, in_pashto, text="I saw her at the railway station.", translated_by="Interpreter 417"
    )
    assert response.status_code == 302
    page = client.get(reverse("sightings:inspect", args=[in_pashto.public_id])).content.decode()
    assert f'<dd lang="ps" dir="auto">{PASHTO_WORDS}' in page
    assert "Written in</dt><dd>Pashto (پښتو)" in page
    assert '<blockquote lang="en-gb" dir="ltr">I saw her at the railway station.' in page
    assert "Translated by Interpreter 417" in page

    # A better translation is added beside the first, which is kept.
    translate(client, in_pashto, text="I saw her on the station platform.", translated_by="Int 9")
    assert SightingTranslation.objects.filter(sighting=in_pashto).count() == 2
    entries = SightingLogEntry.objects.filter(
        object_id=in_pashto.pk, action="homeward.sighting.translated"
    )
    assert entries.count() == 2 and entries.first().user == officer
    assert all("station" not in str(entry.data) for entry in entries)


def test_the_case_file_carries_the_language_and_the_latest_translation(client, in_pashto):
    login_as(client, "police of the owning force")
    translate(client, in_pashto, text="First version.", translated_by="Int 1")
    translate(client, in_pashto, text="Checked version.", translated_by="Int 2")
    csv = b"".join(client.get(reverse("sightings:index") + "?export=csv").streaming_content)
    row = csv.decode()
    assert "Written in" in row and "Pashto" in row
    assert "Checked version." in row and "First version." not in row


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "   ", "translated_by": "Int 1"}, "This field is required"),
        ({"text": "Words", "translated_by": ""}, "This field is required"),
        ({"text": "x" * 8001, "translated_by": "Int 1"}, "at most 8000"),
        ({"text": "Words", "translated_by": "Int\n1"}, "one line"),
    ],
)
def test_a_bad_translation_is_explained_and_saves_nothing(client, in_pashto, data, message):
    login_as(client, "police of the owning force")
    response = translate(client, in_pashto, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SightingTranslation.objects.exists()


def test_a_sighting_written_in_english_needs_no_translation(client, appeal):
    sighting = factories.sighting_create(appeal)
    login_as(client, "police of the owning force")
    response = translate(client, sighting, text="Words", translated_by="Int 1")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "written in English: it needs no translation" in page
    assert "Translations into English" not in page
    assert not SightingTranslation.objects.exists()
