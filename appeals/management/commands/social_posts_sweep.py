from django.core.management.base import BaseCommand

from appeals.services.social_posts import social_posts_sweep


class Command(BaseCommand):
    help = "Retry social posts and deletions that are due, and recover interrupted ones."

    def handle(self, *args, **options):
        swept = social_posts_sweep()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in swept.items()))
