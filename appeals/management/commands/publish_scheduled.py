from wagtail.management.commands.publish_scheduled import Command as WagtailPublishScheduled

from appeals.services import appeals_expire_scheduled, publicity_scheduled_refuse


class Command(WagtailPublishScheduled):
    """Wagtail's scheduled publishing, after refusing appeals without a valid clearance.

    Wagtail stops at the first page that fails to publish; refusing the appeals that
    would fail first lets every other page go live on time. Appeals due to be unpublished
    are taken down (their publicity ends) first, as Wagtail's unpublishing is refused.
    """

    def handle(self, *args, **options):
        if not options["dryrun"]:
            for appeal in appeals_expire_scheduled():
                self.stdout.write(f"Taken down: “{appeal.title}” reached its unpublishing date.")
            for revision in publicity_scheduled_refuse():
                self.stderr.write(
                    f"Refused: “{revision.object_str}” has no valid publicity clearance; "
                    "it must be checked again before it can go live."
                )
        super().handle(*args, **options)
