from django.db import migrations

from homeward.roles import roles_sync


def sync(apps, schema_editor):
    roles_sync(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0001_heroes"),
        ("homeward", "0005_police_force_duty_email"),
        ("appeals", "0005_appealpage_closed_at"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
