"""Fan-out's two triggers: a page published, and a workflow approved (see services.fanout).

Going live first copies the appeal's photos to the public media (services.photos), before
anything announces the page; an appeal back live after its clearance expired then ends its
takedown (services.takedown).
"""

from django.dispatch import receiver
from wagtail.signals import page_published, workflow_approved

from appeals.models import AppealPage
from appeals.services import fanout, photos, takedown


@receiver(page_published, sender=AppealPage)
def fan_out_on_go_live(sender, instance: AppealPage, **kwargs) -> None:
    photos.appeal_photos_publish(appeal=instance)
    takedown.appeal_renewal_finish(appeal=instance)
    fanout.appeal_published(appeal=instance)


@receiver(workflow_approved)
def brief_partners_on_restricted_approval(sender, instance, **kwargs) -> None:
    fanout.appeal_workflow_approved(workflow_state=instance)
