from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from homeward.demo.users import demo_totp_code


class Command(BaseCommand):
    help = "Print a demo user's current second-factor code (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("demo_code only runs with DEBUG=1: it is for the demo users.")
        try:
            self.stdout.write(demo_totp_code(username))
        except LookupError as error:
            raise CommandError(str(error)) from error
