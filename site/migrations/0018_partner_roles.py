"""Administrators, who manage partners, issue, rotate and revoke their API keys, read their
access log and hold their webhooks' signing secrets."""

from django.db import migrations

from homeward.roles import roles_sync


def sync(apps, schema_editor):
    roles_sync(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("homeward", "0017_local_authority_managers_and_trends"),
        # roles_sync grants the partner keys' permissions: the model must exist by now.
        ("newsletter", "0007_partners_api_keys_and_notices"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
