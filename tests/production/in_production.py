"""Code the fault suite runs inside a production process (`manage.py shell`, with
homeward.settings and the production environment; see Stack.call).

Publishing goes through the real publicity workflow (a completed safety check, then a
publisher's approval), so everything that follows happens as in production: Wagtail's
tasks (search indexing, frontend cache purges) go through the production task backend to
the wagtail_tasks worker, the fan-out job to the jobs worker, and the page cache purge to
the production Redis.
"""


def appeals_publish(*, appeal_ids: list[int]) -> dict[str, str]:
    """Clear and publish these draft appeals; returns each one's public path."""
    from appeals.models import AppealPage
    from tests import factories

    paths = {}
    for appeal_id in appeal_ids:
        page = factories.publicity_clear(AppealPage.objects.get(pk=appeal_id))
        if not page.live:
            raise RuntimeError(f"Appeal {appeal_id} did not go live")
        paths[str(appeal_id)] = page.url
    return paths


def campaign_regular_start(*, now: str) -> dict:
    """The regular Heroes email, as the scheduler's check starts it at ``now`` (ISO).

    The scheduler runs the same check every fifteen minutes with the real time; if its
    check has made this week's campaign already, that one is returned.
    """
    from datetime import datetime

    from django.utils import timezone

    from newsletter.models import Campaign
    from newsletter.services import campaign_regular_due

    moment = datetime.fromisoformat(now)
    campaign = campaign_regular_due(now=moment)
    if campaign is not None:
        return {"campaign_id": campaign.pk, "started_by": "this call"}
    year, week, _ = timezone.localtime(moment).isocalendar()
    campaign = Campaign.objects.get(kind=Campaign.Kind.REGULAR, period=f"{year}-W{week:02d}")
    return {"campaign_id": campaign.pk, "started_by": "the scheduler"}
