"""A partner's keys are read afresh as soon as what the partner may receive changes:
switched off, its areas or its scopes changed (newsletter/partner_keys.py caches them)."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from newsletter.models import Partner
from newsletter.partner_keys import grants_forget


@receiver(post_save, sender=Partner)
def partner_saved(sender, instance: Partner, created: bool, **kwargs) -> None:
    if not created:
        transaction.on_commit(lambda: grants_forget(partner_id=instance.pk))


@receiver(m2m_changed, sender=Partner.areas.through)
def partner_areas_changed(sender, instance, action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Partner):
        transaction.on_commit(lambda: grants_forget(partner_id=instance.pk))
