from django.core.management.base import BaseCommand

from sightings.services import sightings_retention_purge


class Command(BaseCommand):
    help = (
        "Purge the sightings (photos included) of appeals closed more than "
        "SIGHTING_RETENTION_DAYS ago. Run daily (see homeward/cron.py)."
    )

    def handle(self, *args, **options):
        purged = sightings_retention_purge()
        self.stdout.write(f"{purged} sightings purged.")
