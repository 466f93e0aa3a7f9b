from django.db import migrations
from django.db.models import F, OuterRef, Subquery


def fill(apps, schema_editor):
    """Sightings from before triage: their appeal's force, and ranked by arrival."""
    Sighting = apps.get_model("sightings", "Sighting")
    AppealPage = apps.get_model("appeals", "AppealPage")
    Sighting.objects.update(
        police_force_id=Subquery(
            AppealPage.objects.filter(pk=OuterRef("appeal_id")).values("police_force_id")[:1]
        ),
        queue_rank=F("received_at"),
    )


class Migration(migrations.Migration):
    dependencies = [("sightings", "0002_triage"), ("appeals", "0005_appealpage_closed_at")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
