import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("sightings", "0003_fill_triage"), ("homeward", "0005_police_force_duty_email")]

    operations = [
        migrations.AlterField(
            model_name="sighting",
            name="police_force",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="homeward.policeforce",
            ),
        ),
        migrations.AlterField(
            model_name="sighting",
            name="queue_rank",
            field=models.DateTimeField(),
        ),
    ]
