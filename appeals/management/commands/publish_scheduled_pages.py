from appeals.management.commands.publish_scheduled import Command  # noqa: F401  Wagtail's alias
