import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("sightings", "0010_fill_sighting_public_id")]

    operations = [
        migrations.AlterField(
            model_name="sighting",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
