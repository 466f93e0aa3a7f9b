"""Jobs for the RQ workers. They stay thin: the work is in services."""

from django.core.management import call_command

from appeals import services
from appeals.models import AppealPage
from appeals.services import fanout


def publish_scheduled() -> None:
    call_command("publish_scheduled")


def publicity_review() -> None:
    services.publicity_review()


def appeal_fan_out(*, appeal_id: int) -> None:
    if appeal := AppealPage.objects.filter(pk=appeal_id).first():
        fanout.appeal_fan_out(appeal=appeal)


def partner_briefing_send(*, appeal_id: int) -> None:
    if appeal := AppealPage.objects.filter(pk=appeal_id).first():
        fanout.partner_briefing_send(appeal=appeal)


def social_post_send(*, post_id: int) -> None:
    fanout.social_post_send(post_id=post_id)


def social_post_delete(*, post_id: int) -> None:
    fanout.social_post_delete(post_id=post_id)


def social_posts_sweep() -> dict[str, int]:
    return fanout.social_posts_sweep()


def appeal_takedown_run(*, takedown_id: int) -> bool:
    return services.appeal_takedown_run(takedown_id=takedown_id)


def takedowns_retry() -> int:
    return services.takedowns_retry()


def photos_public_sweep() -> int:
    from appeals.services.photos import photos_public_sweep

    return len(photos_public_sweep())


def appeals_retention_purge() -> int:
    return services.appeals_retention_purge()
