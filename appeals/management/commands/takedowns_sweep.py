from django.core.management.base import BaseCommand

from appeals.services import takedowns_sweep


class Command(BaseCommand):
    help = "Run again every takedown with steps left whose retry is due."

    def handle(self, *args, **options):
        self.stdout.write(f"Takedowns run again: {takedowns_sweep()}")
