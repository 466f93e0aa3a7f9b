"""Jobs for the RQ workers. They stay thin: the work is in services."""

from django.core.management import call_command

from appeals import services


def publish_scheduled() -> None:
    call_command("publish_scheduled")


def publicity_review() -> None:
    services.publicity_review()
