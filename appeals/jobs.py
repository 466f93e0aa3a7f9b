"""Jobs for the RQ workers. They stay thin: the work is in services.

Each job imports its service in its body: services enqueue these jobs, so importing them
here at the top would make the two modules need each other to load.
"""

from django.core.management import call_command

from appeals.models import AppealPage


def publish_scheduled() -> None:
    call_command("publish_scheduled")


def publicity_review() -> None:
    from appeals.services.publicity import publicity_review

    publicity_review()


def appeal_fan_out(*, appeal_id: int) -> None:
    from appeals.services.go_live import appeal_fan_out

    if appeal := AppealPage.objects.filter(pk=appeal_id).first():
        appeal_fan_out(appeal=appeal)


def appeal_cleared_restricted(*, appeal_id: int) -> None:
    from appeals.services.go_live import appeal_cleared_restricted

    if appeal := AppealPage.objects.filter(pk=appeal_id).first():
        appeal_cleared_restricted(appeal=appeal)


def social_post_send(*, post_id: int) -> None:
    from appeals.services.social_posts import social_post_send

    social_post_send(post_id=post_id)


def social_post_delete(*, post_id: int) -> None:
    from appeals.services.social_posts import social_post_delete

    social_post_delete(post_id=post_id)


def social_posts_sweep() -> dict[str, int]:
    from appeals.services.social_posts import social_posts_sweep

    return social_posts_sweep()


def appeal_takedown_run(*, takedown_id: int) -> bool:
    from appeals.services.takedown import appeal_takedown_run

    return appeal_takedown_run(takedown_id=takedown_id)


def takedowns_sweep() -> int:
    from appeals.services.takedown import takedowns_sweep

    return takedowns_sweep()


def photos_public_sweep() -> int:
    from appeals.services.photos import photos_public_sweep

    return len(photos_public_sweep())


def appeals_retention_purge() -> int:
    from appeals.services.retention import appeals_retention_purge

    return appeals_retention_purge()


def risk_review_requests_send() -> int:
    from appeals.services.risk import risk_review_requests_send

    return risk_review_requests_send()
