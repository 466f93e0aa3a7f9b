from wagtail.management.commands.publish_scheduled import Command as WagtailPublishScheduled

from appeals.services import publicity_scheduled_refuse


class Command(WagtailPublishScheduled):
    """Wagtail's scheduled publishing, after refusing appeals without a valid clearance.

    Wagtail stops at the first page that fails to publish; refusing the appeals that
    would fail first lets every other page go live on time.
    """

    def handle(self, *args, **options):
        if not options["dryrun"]:
            for revision in publicity_scheduled_refuse():
                self.stderr.write(
                    f"Refused: “{revision.object_str}” has no valid publicity clearance; "
                    "it must be checked again before it can go live."
                )
        super().handle(*args, **options)
