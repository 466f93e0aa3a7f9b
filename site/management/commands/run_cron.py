from django.core.management.base import BaseCommand

from homeward.cron_scheduler import ResilientCronScheduler


class Command(BaseCommand):
    help = (
        "Queue the recurring jobs of a cron module (homeward.cron) on time; run exactly one. "
        "Unlike rqcron, it keeps going through Redis outages."
    )

    def add_arguments(self, parser):
        parser.add_argument("config_path", help="the cron module, e.g. homeward.cron")

    def handle(self, *args, config_path: str, **options):
        scheduler = ResilientCronScheduler()
        scheduler.load_config_from_file(config_path)
        self.stdout.write(f"Scheduling {len(scheduler.get_jobs())} recurring jobs")
        scheduler.start()
