import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from homeward.demo.loader import AREAS, demo_load
from homeward.demo.partners import demo_partner_key
from homeward.roles import ROLES


class Command(BaseCommand):
    help = "Load fictional demo appeals and a user for every role (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo only runs with DEBUG=1: it creates users whose passwords it prints."
            )
        logging.getLogger("wagtail").setLevel(logging.WARNING)  # a line per page is noise here
        users = demo_load()
        self.stdout.write(self.style.SUCCESS("Demo content loaded. Every person is fictional."))
        self.stdout.write("\nSign in at /admin/ as any of these demo users:\n")
        width = max(len(user.username) for user in users)
        for user in users:
            self.stdout.write(f"  {user.username:<{width}}  {user.password}  {user.role}")
            self.stdout.write(f"  {'':<{width}}  {ROLES[user.role].description}")
            self.stdout.write(f"  {'':<{width}}  authenticator app key: {user.totp_key}")
        self.stdout.write(
            "\nThe admin asks for a second factor after the password: add a user's key to any"
            "\nauthenticator app (TOTP), or get the current code with"
            "\n  DEBUG=1 .venv/bin/python manage.py demo_code <username>"
        )
        key = demo_partner_key(areas=list(AREAS))
        self.stdout.write(
            "\nA made-up newspaper's key for the partners' API (schema: /api/v1/openapi.json):"
            f'\n  curl -H "Authorization: Bearer {key}" http://127.0.0.1:8000/api/v1/appeals'
        )
        self.stdout.write("")
