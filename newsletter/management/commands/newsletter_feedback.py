from django.core.management.base import BaseCommand

from newsletter.services import hero_suppress


class Command(BaseCommand):
    help = "Stop sending to addresses that bounced or complained (from the mail provider)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["bounce", "complaint"])
        parser.add_argument("emails", nargs="+")

    def handle(self, *args, kind: str, emails: list[str], **options):
        for email in emails:
            known = hero_suppress(email=email, complaint=kind == "complaint")
            self.stdout.write(f"{email}: {'no more email' if known else 'not a Hero'}")
