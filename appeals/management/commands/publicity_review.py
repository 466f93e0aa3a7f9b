from django.core.management.base import BaseCommand

from appeals.services import publicity_review


class Command(BaseCommand):
    help = (
        "Take down appeals whose publicity clearance has ended, and email staff about "
        "clearances ending within two days. Run every few minutes (see homeward/cron.py)."
    )

    def handle(self, *args, **options):
        expired, reminded = publicity_review()
        self.stdout.write(f"{len(expired)} appeals taken down, {reminded} reminders sent.")
