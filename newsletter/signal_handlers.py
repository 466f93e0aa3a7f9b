"""An urgent alert when a high-risk appeal goes public (the service checks the clearance)."""

from django.dispatch import receiver
from wagtail.signals import page_published

from appeals.models import AppealPage
from homeward.jobs import enqueue_after_commit
from newsletter import jobs


@receiver(page_published, sender=AppealPage)
def alert_heroes_on_go_live(sender, instance: AppealPage, **kwargs) -> None:
    # Re-publishing fires this again: the campaign is unique per appeal, so it goes once.
    if instance.risk_level == AppealPage.RiskLevel.HIGH:
        enqueue_after_commit(jobs.campaign_urgent_alert, {"appeal_id": instance.pk})
