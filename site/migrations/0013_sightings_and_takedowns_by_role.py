"""Police officers see and work on their force's sightings and read their force's
takedowns, and caseworkers see every force's sightings, because their roles grant it: the
code asks permissions, and a force is only data (the police officer link)."""

from django.db import migrations

from homeward.roles import roles_sync


def sync(apps, schema_editor):
    roles_sync(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("homeward", "0012_capabilities"),
        # roles_sync grants these apps' permissions: they must exist by now.
        ("sightings", "0013_anonymous_without_contact"),
        ("appeals", "0017_search_extensions"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
