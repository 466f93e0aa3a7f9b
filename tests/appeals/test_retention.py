"""Retention: a closed appeal's personal data is purged after the period, from every table
and from storage, leaving an anonymous record and an audit entry that names no one."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.files.storage import default_storage, storages
from django.core.management import call_command
from django.db import connection
from wagtail.models import PageLogEntry

from appeals.models import AppealPage, AppealTakedown
from appeals.services import appeal_close
from homeward import roles
from newsletter.models import Campaign
from newsletter.services import campaign_urgent_alert
from tests import factories
from tests.newsletter.conftest import hero_create

pytestmark = pytest.mark.django_db

# Prefixes, so that a search index's stemmed words are found too.
TRACES = ["quillfe", "marigol", "crescent", "please get in touch", "ማሪጎልድ", "ብኽብረትኪ"]


def text_columns_containing(words: list[str]) -> list[tuple[str, str]]:
    """Every (table, column) of the database whose text holds any of the words."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                name = connection.ops.quote_name(column.name)
                quoted = connection.ops.quote_name(table)
                for word in words:
                    cursor.execute(
                        f"SELECT 1 FROM {quoted} WHERE LOWER(CAST({name} AS TEXT)) LIKE %s LIMIT 1",  # noqa: S608
                        [f"%{word}%"],
                    )
                    if cursor.fetchone():
                        found.append((table, column.name))
    return found


def test_personal_data_is_purged_after_the_period_leaving_an_anonymous_record(
    client, directory, settings, django_capture_on_commit_callbacks
):
    settings.APPEAL_RETENTION_DAYS = 30
    hero_create("alerts@example.org", all_of_uk=True, urgent_alerts=True)
    appeal = factories.appeal_create(
        parent=directory,
        title="Marigold Quillfeather",
        slug="marigold-quillfeather",
        photos=2,
        risk_level=AppealPage.RiskLevel.HIGH,
        distinguishing_features="A scar shaped like a crescent",
        message="Marigold, please get in touch.",
        # In Tigrinya too: "Marigold, please call us."
        translations=[{"language": "ti", "message_to_them": "ማሪጎልድ፡ ብኽብረትኪ ደውልልና።"}],
    )
    client.get(appeal.url)  # renditions
    campaign_urgent_alert(appeal=appeal)
    # A later edit, so that the name is in more than one revision and in the log.
    draft = appeal.get_latest_revision_as_object()
    draft.title = "Marigold Q. Quillfeather"
    draft.save_revision(user=factories.staff(roles.EDITORS))
    images = [photo.image for photo in appeal.photos.all()]
    photo_files = {image.file.name for image in images} | {
        rendition.file.name for image in images for rendition in image.renditions.all()
    }
    assert len(photo_files) > len(images)
    takedown = factories.appeal_found(
        appeal,
        capture=django_capture_on_commit_callbacks,
        reason="Marigold was found by the police.",
    )
    takedown.refresh_from_db()
    assert text_columns_containing(TRACES)  # still held, until the period ends

    with time_machine.travel(takedown.closed_at + timedelta(days=29)):
        call_command("appeals_retention_purge", stdout=StringIO())
    assert AppealTakedown.objects.get().purged_at is None

    with (
        time_machine.travel(takedown.closed_at + timedelta(days=30, minutes=1)),
        django_capture_on_commit_callbacks(execute=True),  # files go after the commit
    ):
        out = StringIO()
        call_command("appeals_retention_purge", stdout=out)
        assert "1 closed appeals purged" in out.getvalue()
        call_command("appeals_retention_purge", stdout=StringIO())  # nothing more to do

    assert text_columns_containing(TRACES) == []
    # Nor the case reference (copied onto its checks) or the photos' file names (which
    # the takedown recorded as it removed them).
    others = [appeal.case_reference.lower(), *(name.rsplit("/", 1)[-1] for name in photo_files)]
    assert text_columns_containing(others) == []
    for name in photo_files:
        for storage in (default_storage, storages["photos_private"]):
            assert not storage.exists(name), name

    record = AppealTakedown.objects.get()
    assert record.purged_at is not None and record.reason == ""
    assert (record.outcome, record.police_force, record.missing_since) == (
        "found",
        appeal.police_force,
        appeal.missing_since,
    )
    purge = PageLogEntry.objects.get(page_id=appeal.pk, action="homeward.appeal.purged")
    assert purge.data["outcome"] == "found"
    assert purge.data["police_force"] == appeal.police_force.slug
    assert "Quillfeather" not in purge.label
    assert Campaign.objects.get(appeal_id=appeal.pk).content == {}

    # The old address still says only that the appeal has ended.
    gone = client.get(f"{directory.url}marigold-quillfeather/")
    assert gone.status_code == 410
    assert "116&nbsp;000" in gone.content.decode() and "Closed appeal" not in gone.content.decode()
    assert client.get(f"{directory.url}someone-else/").status_code == 404
    assert client.get(f"{directory.url}feed/").status_code == 200


def test_open_appeals_and_recent_closures_are_kept(directory, django_capture_on_commit_callbacks):
    kept = factories.appeal_create(title="Still Missingperson")
    recent = factories.appeal_create(title="Recently Closedperson")
    with django_capture_on_commit_callbacks(execute=True):
        appeal_close(
            appeal=recent,
            user=factories.user_create(role=roles.PUBLISHERS),
            outcome="withdrawn",
            reason="Family asked.",
        )
    call_command("appeals_retention_purge", stdout=StringIO())
    assert AppealPage.objects.get(pk=kept.pk).title == "Still Missingperson"
    assert AppealPage.objects.get(pk=recent.pk).title == "Recently Closedperson"
    assert text_columns_containing(["missingperson", "closedperson"])
    assert settings.APPEAL_RETENTION_DAYS == 30  # the default
