"""What appeals add to the image library: a photo that an appeal's publicity clearance
covers keeps its picture, and a changed photo purges the cached pages of the live appeals
that show it. Connected when the app is ready, in every process."""

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail import hooks
from wagtail.contrib.frontend_cache.utils import PurgeBatch

from appeals.models import AppealPage
from appeals.services.photos import appeals_whose_clearance_covers
from homeward.frontend_cache import listing_purge_batch
from homeward.models import PICTURE_LOCK, HomewardImage, HomewardRendition
from homeward.page_cache import page_cache_purge


@hooks.register(PICTURE_LOCK)
def picture_cleared_for_appeals(*, image_id: int) -> str:
    """Live, in a check or awaiting approval, an appeal was (or is being) cleared with this
    picture: the public may only see what the publicity safety check cleared."""
    appeals = appeals_whose_clearance_covers(image_id=image_id)
    if not appeals:
        return ""
    return (
        f"This photo is on {len(appeals)} appeal(s) that are live, being checked or "
        "awaiting approval, so its picture and focal point cannot change: the public "
        "may only see what the publicity safety check cleared. Upload the new picture "
        "as a new image, put it on the appeal instead, and send the appeal through a "
        "new check."
    )


class ImagePurge:
    """After commit: the page cache, and on the CDN the live appeals that show the image
    and the pages that list them. Queued once per image and transaction, however many of
    its renditions are deleted."""

    def __init__(self, image_id: int):
        self.image_id = image_id

    def __call__(self) -> None:
        appeals = list(AppealPage.objects.live().filter(photos__image_id=self.image_id).distinct())
        if not appeals:
            return
        page_cache_purge()
        if getattr(settings, "WAGTAILFRONTENDCACHE", None):
            batch = PurgeBatch()
            for appeal in appeals:
                batch.add_page(appeal)
                batch.add_urls(listing_purge_batch(appeal).urls)
            batch.purge()


@receiver(post_save, sender=HomewardImage, dispatch_uid="appeals-purge-image")
@receiver(post_delete, sender=HomewardRendition, dispatch_uid="appeals-purge-rendition")
def purge_pages_showing_image(sender, instance, **kwargs) -> None:
    """An image changed (its title, focal point or file) or lost a rendition: a cached
    page that shows it would point at renditions that are gone, or show the old picture."""
    image_id = instance.image_id if isinstance(instance, HomewardRendition) else instance.pk
    queued = (callback for _, callback, _ in connection.run_on_commit)
    if not any(isinstance(job, ImagePurge) and job.image_id == image_id for job in queued):
        # Robust: the change is saved whatever the CDN says; a failed purge is logged, and
        # the CDN's copy expires with its s-maxage.
        transaction.on_commit(ImagePurge(image_id), robust=True)
