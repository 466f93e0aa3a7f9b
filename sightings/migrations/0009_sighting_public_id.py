from django.db import migrations, models


class Migration(migrations.Migration):
    """A public id for admin URLs, in three steps (add, fill, make unique), as a default
    evaluated once would give every existing sighting the same id."""

    dependencies = [("sightings", "0008_alert_lease")]

    operations = [
        migrations.AddField(
            model_name="sighting",
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
    ]
