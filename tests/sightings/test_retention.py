"""Retention: a closed appeal's sightings are purged after the period, photos included."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.files.storage import storages
from django.core.management import call_command
from django.utils import timezone

from appeals.models import AppealPage
from appeals.services.closing import appeal_expire
from homeward import roles
from sightings import services
from sightings.models import (
    Sighting,
    SightingLogEntry,
    SightingNote,
    SightingPhoto,
    SightingTranslation,
    ThriveAssessment,
)
from tests import factories
from tests.sightings.conftest import OWNING_FORCE
from tests.sightings.test_triage import THRIVE

pytestmark = pytest.mark.django_db


def close(appeal: AppealPage, status=AppealPage.Status.FOUND) -> AppealPage:
    """Closed: taken off the public site by its takedown (nothing else may unpublish it),
    then the row's status, dated by the model."""
    appeal_expire(appeal=appeal)
    page = AppealPage.objects.get(pk=appeal.pk)
    page.status = status
    page.save()
    return page


def test_sightings_of_a_closed_appeal_are_purged_after_the_period(
    appeal, directory, settings, django_capture_on_commit_callbacks
):
    settings.SIGHTING_RETENTION_DAYS = 90
    officer = factories.user_create(role=roles.POLICE_OFFICERS, force_slug=OWNING_FORCE)
    reported = factories.sighting_create(
        appeal, photo=True, identity="named", name="Witness Ottoline", description="Red coat"
    )
    services.sighting_claim(sighting=reported, user=officer)
    services.sighting_note_add(sighting=reported, user=officer, text="Rang Ms Ottoline")
    services.sighting_assess(sighting=reported, user=officer, answers=THRIVE)
    Sighting.objects.filter(pk=reported.pk).update(language="ps")
    reported.refresh_from_db()
    services.sighting_translation_add(
        sighting=reported, user=officer, text="Translated: a red coat", translated_by="Int 4"
    )
    photo_name = reported.photo.file.name
    still_missing = factories.appeal_create()
    kept = factories.sighting_create(still_missing, photo=True)
    closed_at = close(appeal).closed_at
    assert closed_at is not None

    with time_machine.travel(closed_at + timedelta(days=89)):
        assert services.sightings_retention_purge() == 0
    assert Sighting.objects.filter(pk=reported.pk).exists()

    with (
        time_machine.travel(closed_at + timedelta(days=90, minutes=1)),
        django_capture_on_commit_callbacks(execute=True),  # files go after the commit
    ):
        assert services.sightings_retention_purge() == 1

    assert not Sighting.objects.filter(pk=reported.pk).exists()
    assert not SightingPhoto.objects.filter(sighting_id=reported.pk).exists()
    assert not SightingNote.objects.exists() and not ThriveAssessment.objects.exists()
    assert not SightingTranslation.objects.exists()
    assert not storages["sightings"].exists(photo_name)
    assert Sighting.objects.filter(pk=kept.pk).exists()
    assert storages["sightings"].exists(kept.photo.file.name)

    # The audit log keeps the fact, not the content.
    entries = SightingLogEntry.objects.filter(object_id=reported.pk)
    purged = entries.get(action="homeward.sighting.purged")
    assert purged.data["police_force"] == OWNING_FORCE
    assert purged.data["received_on"] == reported.received_at.date().isoformat()
    for entry in entries:
        text = str(entry.data) + entry.label
        assert "Ottoline" not in text and "Red coat" not in text and "Rang" not in text
        assert "red coat" not in text and "Int 4" not in text


def test_retention_counts_from_closure_and_reopening_stops_it(appeal, settings):
    settings.SIGHTING_RETENTION_DAYS = 30
    factories.sighting_create(appeal)
    page = close(appeal, AppealPage.Status.WITHDRAWN)
    page.status = AppealPage.Status.MISSING
    page.save()
    assert page.closed_at is None
    with time_machine.travel(timezone.now() + timedelta(days=365)):
        assert services.sightings_retention_purge() == 0


def test_the_purge_runs_from_the_command_line(appeal, settings):
    settings.SIGHTING_RETENTION_DAYS = 0
    factories.sighting_create(appeal)
    close(appeal)
    out = StringIO()
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        call_command("sightings_retention_purge", stdout=out)
    assert out.getvalue().strip() == "1 sightings purged."
    assert not Sighting.objects.exists()
