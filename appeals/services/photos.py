"""Appeal photos in the public media only while an appeal showing them is publicly visible.

Every image file (original and renditions) is kept privately (homeward.storage.PhotoStorage).
Going live copies the photos the live appeal shows to the public media; a takedown, or a
revision that stops showing a photo, removes the public copies again. A picture that a
clearance covers cannot change (HomewardImage refuses it): a new picture is a new image,
which goes public only with a revision that passes a check.
"""

from datetime import datetime, timedelta

from django.core.files.storage import storages
from django.db.models import Q
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Revision, WorkflowState

from appeals.models import AppealPage, AppealPhoto, PublicityCheck
from appeals.selectors import appeals_visible_to, image_visible_to

# Going live copies photos before its transaction commits, so that the page never goes out
# with missing photos: a public copy younger than this may be a publish still under way.
PUBLISHING_GRACE = timedelta(minutes=10)


def _photo_store():
    return storages["photos"]


def appeal_photos_publish(*, appeal: AppealPage) -> None:
    """The appeal went live: its photos and their renditions go to the public media, and
    photos an earlier revision showed, which no visible appeal shows now, leave it.

    Called before anything announces the page. Nothing is published unless the appeal
    is publicly visible (live, missing and cleared), whatever called this.
    """
    if not AppealPage.objects.publicly_visible().filter(pk=appeal.pk).exists():
        return
    store = _photo_store()
    shown = set(AppealPhoto.objects.filter(page=appeal).values_list("image_id", flat=True))
    for image in get_image_model().objects.filter(pk__in=shown).prefetch_related("renditions"):
        store.publish(image.file.name)
        for rendition in image.renditions.all():
            store.publish(rendition.file.name)
    dropped = images_shown_by(appeal) - shown
    if dropped:
        images_unpublish(images=images_not_shown_elsewhere(image_ids=dropped, appeal=appeal))


def photos_public_sweep(*, now: datetime | None = None) -> list[str]:
    """The public media holds only what publicly visible appeals show: any other public
    copy older than PUBLISHING_GRACE (left by a publish whose transaction rolled back, or
    by anything else) goes back to private. Returns the names it removed."""
    now = now or timezone.now()
    store = _photo_store()
    shown = AppealPhoto.objects.filter(page__in=AppealPage.objects.publicly_visible())
    keep = set()
    images = get_image_model().objects.filter(pk__in=shown.values("image_id"))
    for image in images.prefetch_related("renditions"):
        keep.add(image.file.name)
        keep.update(rendition.file.name for rendition in image.renditions.all())
    removed = []
    for name in store.published_names():
        if name not in keep and store.published_at(name) <= now - PUBLISHING_GRACE:
            store.unpublish(name)
            removed.append(name)
    return removed


def images_shown_by(appeal: AppealPage) -> set[int]:
    """Every image the appeal has shown, in any revision: an old photo is the person too."""
    ids = set(AppealPhoto.objects.filter(page=appeal).values_list("image_id", flat=True))
    for content in appeal.revisions.values_list("content", flat=True):
        ids.update(_revision_image_ids(content))
    return ids


def images_not_shown_elsewhere(*, image_ids, appeal: AppealPage):
    """Of these images, those that no other publicly visible appeal shows."""
    elsewhere = AppealPhoto.objects.filter(
        image_id__in=image_ids, page__in=AppealPage.objects.publicly_visible()
    ).exclude(page=appeal)
    return (
        get_image_model()
        .objects.filter(pk__in=image_ids)
        .exclude(pk__in=elsewhere.values("image_id"))
    )


def images_no_missing_appeal_shares(*, appeal: AppealPage):
    """The appeal's images, in any revision, that no appeal still missing shows: what the
    search index and the retention purge may forget with it."""
    ids = images_shown_by(appeal)
    shared = AppealPhoto.objects.filter(
        image_id__in=ids, page__status=AppealPage.Status.MISSING
    ).exclude(page=appeal)
    return get_image_model().objects.filter(pk__in=ids).exclude(pk__in=shared.values("image_id"))


def images_unpublish(*, images) -> dict:
    """Renditions are deleted (they are made again from the original when needed) and the
    originals' public copies removed; the private originals stay. Returns what was done,
    with the public addresses that caches must forget. Safe to repeat."""
    store = _photo_store()
    urls, renditions, originals = [], 0, 0
    for image in images.prefetch_related("renditions"):
        for rendition in image.renditions.all():
            if store.is_published(rendition.file.name):
                urls.append(store.public_url(rendition.file.name))
            store.delete(rendition.file.name)
            renditions += 1
        image.renditions.all().delete()
        if store.unpublish(image.file.name):
            urls.append(store.public_url(image.file.name))
            originals += 1
    return {"renditions": renditions, "originals": originals, "urls": urls}


def appeals_whose_clearance_covers(*, image_id: int) -> list[int]:
    """Appeals that show the image while live, or in a revision being checked, awaiting
    approval or cleared (a check not yet expired): its picture is what was cleared."""
    appeals = set(
        AppealPhoto.objects.filter(image_id=image_id, page__live=True).values_list(
            "page_id", flat=True
        )
    )
    checked = PublicityCheck.objects.filter(expires_at__gt=timezone.now()).values("revision_id")
    in_workflow = WorkflowState.objects.active().values("current_task_state__revision_id")
    revisions = Revision.page_revisions.filter(Q(pk__in=checked) | Q(pk__in=in_workflow))
    for object_id, content in revisions.values_list("object_id", "content"):
        if image_id in _revision_image_ids(content):
            appeals.add(int(object_id))
    return sorted(appeals)


def image_previewable_by(*, image, user) -> bool:
    """Whether staff may see the image's private files: an image they may see anywhere
    (appeals.selectors), or one the latest draft of an appeal they may see shows (the
    police authorisation and the safety check show the draft's photos)."""
    if image_visible_to(image=image, user=user):
        return True
    drafts = Revision.page_revisions.filter(
        pk__in=appeals_visible_to(user).values("latest_revision_id")
    )
    return any(image.pk in _revision_image_ids(c) for c in drafts.values_list("content", flat=True))


def _revision_image_ids(content: dict) -> set[int]:
    return {photo["image"] for photo in content.get("photos", []) if photo.get("image")}
