import uuid

from django.db import migrations


def fill(apps, schema_editor):
    """A random public id for each sighting from before there were any."""
    Sighting = apps.get_model("sightings", "Sighting")
    for pk in Sighting.objects.values_list("pk", flat=True).iterator():
        Sighting.objects.filter(pk=pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("sightings", "0009_sighting_public_id")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
