"""Local authority designated managers; the trends for the roles that read them; police
officers review their cases' risk."""

from django.db import migrations

from homeward.roles import roles_sync


def sync(apps, schema_editor):
    roles_sync(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("homeward", "0016_local_authorities"),
        # roles_sync grants these models' permissions: they must exist by now.
        ("appeals", "0024_people_across_episodes"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
