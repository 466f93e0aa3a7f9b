"""The directory's search on PostgreSQL: pg_trgm (word similarity, for partial names and
typos) and unaccent ("Zoe" finds "Zoë"). Both operations do nothing on other databases."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("appeals", "0016_appeal_short_link")]

    operations = [TrigramExtension(), UnaccentExtension()]
