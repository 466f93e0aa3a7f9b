from datetime import timedelta

from django.utils import timezone
from wagtail.management.commands.publish_scheduled import Command as WagtailPublishScheduled

from appeals.services import (
    appeals_expire_scheduled,
    publicity_scheduled_refuse,
    scheduled_unpublishing_refuse,
)

# Wagtail reads the clock again after these: whatever falls due in between is handled
# here, a few seconds early, rather than refused there (which would stop its run).
MARGIN = timedelta(seconds=10)


class Command(WagtailPublishScheduled):
    """Wagtail's scheduled publishing, after refusing appeals without a valid clearance.

    Wagtail stops at the first page that fails to publish; refusing the appeals that
    would fail first lets every other page go live on time. Appeals due to be unpublished
    are taken down (their publicity ends) first, as Wagtail's unpublishing is refused;
    the scheduled unpublishing of a page above live appeals is cancelled.
    """

    def handle(self, *args, **options):
        if not options["dryrun"]:
            now = timezone.now() + MARGIN
            for page in scheduled_unpublishing_refuse(now=now):
                self.stderr.write(
                    f"Refused: “{page.title}” holds live appeals, so it is not unpublished; "
                    "its unpublishing date is cleared."
                )
            for appeal in appeals_expire_scheduled(now=now):
                self.stdout.write(f"Taken down: “{appeal.title}” reached its unpublishing date.")
            for revision in publicity_scheduled_refuse(now=now):
                self.stderr.write(
                    f"Refused: “{revision.object_str}” has no valid publicity clearance; "
                    "it must be checked again before it can go live."
                )
        super().handle(*args, **options)
