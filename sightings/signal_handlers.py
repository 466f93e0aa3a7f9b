"""Keep each sighting's force in step with its appeal's: it decides who may see it."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from appeals.models import AppealPage
from sightings.models import Sighting


@receiver(post_save, sender=AppealPage)
def follow_the_appeals_force(sender, instance: AppealPage, **kwargs) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "police_force" not in update_fields:
        return
    Sighting.objects.filter(appeal_id=instance.pk).exclude(
        police_force_id=instance.police_force_id
    ).update(police_force_id=instance.police_force_id)
