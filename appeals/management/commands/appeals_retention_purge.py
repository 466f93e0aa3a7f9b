from django.core.management.base import BaseCommand

from appeals.services import appeals_retention_purge


class Command(BaseCommand):
    help = (
        "Purge the personal data (name, description, photos, history) of appeals closed "
        "more than APPEAL_RETENTION_DAYS ago, keeping an anonymous record. Run daily "
        "(see homeward/cron.py)."
    )

    def handle(self, *args, **options):
        purged = appeals_retention_purge()
        self.stdout.write(f"{purged} closed appeals purged.")
