from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("appeals", "0011_publicity_check_rules")]

    operations = [
        migrations.AddField(
            model_name="appealtakedown",
            name="claimed_at",
            field=models.DateTimeField(null=True),
        ),
    ]
