"""The directory's search on PostgreSQL: pg_trgm (word similarity, for partial names and
typos) and unaccent ("Zoe" finds "Zoë"). Both operations do nothing on other databases,
either way: Django's own check the database only going forwards, and unapplying them on
SQLite asked it for pg_extension."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class OnPostgreSQLOnly:
    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Trigram(OnPostgreSQLOnly, TrigramExtension):
    pass


class Unaccent(OnPostgreSQLOnly, UnaccentExtension):
    pass


class Migration(migrations.Migration):
    dependencies = [("appeals", "0016_appeal_short_link")]

    operations = [Trigram(), Unaccent()]
