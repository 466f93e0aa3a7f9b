from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sightings", "0012_one_line_fields"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="sighting",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("anonymous", False),
                    models.Q(
                        ("consent_to_contact", False),
                        ("reporter_email", ""),
                        ("reporter_name", ""),
                        ("reporter_phone", ""),
                    ),
                    _connector="OR",
                ),
                name="sighting_anonymous_without_contact",
            ),
        ),
    ]
