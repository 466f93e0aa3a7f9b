"""Permissions of no model (homeward.capabilities), which the roles now grant instead of
code checking group names."""

from django.db import migrations, models

from homeward.roles import roles_sync


def sync(apps, schema_editor):
    roles_sync(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("homeward", "0011_information_pages_default"),
        # roles_sync grants these apps' permissions too.
        ("appeals", "0017_search_extensions"),
        ("newsletter", "0004_one_line_fields"),
    ]

    operations = [
        migrations.CreateModel(
            name="Capability",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
            ],
            options={
                "permissions": [
                    (
                        "see_every_force",
                        "Work on every police force's appeals, sightings and takedowns, not only one's own force's",
                    ),
                    ("read_publicity_checks", "Read any publicity safety check's answers"),
                ],
                "managed": False,
                "default_permissions": (),
            },
        ),
        migrations.RunPython(sync, migrations.RunPython.noop),
    ]
