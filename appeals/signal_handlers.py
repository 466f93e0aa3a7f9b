"""Going live's two triggers: a page published, and a workflow approved (services.go_live).

Going live first copies the appeal's photos to the public media (services.photos), before
anything announces the page; an appeal back live after its clearance expired then ends its
takedown (services.takedown).

Every way off the public site is a takedown, or is refused: the guards below (appeals.off_site).
"""

from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, pre_page_move, workflow_approved

from appeals import off_site
from appeals.models import AppealPage
from appeals.services import go_live, photos, takedown


@receiver(page_published, sender=AppealPage)
def fan_out_on_go_live(sender, instance: AppealPage, **kwargs) -> None:
    photos.appeal_photos_publish(appeal=instance)
    takedown.appeal_renewal_finish(appeal=instance)
    go_live.appeal_published(appeal=instance)


@receiver(workflow_approved)
def brief_partners_on_restricted_approval(sender, instance, **kwargs) -> None:
    go_live.appeal_workflow_approved(workflow_state=instance)


# Every way off the public site is a takedown, or is refused (see appeals.off_site): these
# run on every save, delete and move of a page, whatever the route.


@receiver(pre_save)
def refuse_unpublishing_without_takedown(
    sender, instance, raw=False, update_fields=None, **kwargs
) -> None:
    if raw or not isinstance(instance, Page) or instance.live or instance._state.adding:
        return  # raw: rows loaded as they are (fixtures, a restored test database)
    if update_fields is not None and "live" not in update_fields:
        return
    if not Page.objects.filter(pk=instance.pk, live=True).exists():
        return  # it was not live: nothing leaves the site
    if refusal := off_site.unpublish_refusal(instance):
        raise off_site.TakedownRequired(refusal)


@receiver(pre_save, sender=AppealPage)
def refuse_closing_by_status(sender, instance: AppealPage, raw=False, **kwargs) -> None:
    if raw or instance._state.adding:
        return
    if refusal := off_site.status_refusal(instance):
        raise off_site.TakedownRequired(refusal)


@receiver(pre_delete, sender=AppealPage)
def refuse_deleting_a_public_appeal(sender, instance: AppealPage, **kwargs) -> None:
    # Deleting a page above appeals deletes them too: each arrives here.
    if refusal := off_site.delete_refusal(instance):
        raise off_site.TakedownRequired(refusal)


@receiver(pre_save, sender=PageViewRestriction)
def refuse_making_appeals_private(
    sender, instance: PageViewRestriction, raw=False, **kwargs
) -> None:
    if not raw and (refusal := off_site.restriction_refusal(instance.page)):
        raise off_site.TakedownRequired(refusal)


@receiver(pre_page_move)
def refuse_moving_appeals(sender, instance, url_path_before, url_path_after, **kwargs) -> None:
    if refusal := off_site.move_refusal(
        instance, url_path_before=url_path_before, url_path_after=url_path_after
    ):
        raise off_site.TakedownRequired(refusal)
