"""Caseworkers see and record return home interviews, because their role grants it."""

from django.db import migrations

from homeward.roles import roles_sync


def sync(apps, schema_editor):
    roles_sync(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("homeward", "0014_intro_in_english"),
        # roles_sync grants this model's permissions: it must exist by now.
        ("appeals", "0021_return_home_interviews"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
