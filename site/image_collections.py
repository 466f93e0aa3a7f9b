"""Homeward's images are appeal photos, kept in one collection: "Appeal photos".

The roles' image permissions are granted on that collection (see roles.roles_sync), never
on the root, so a right given on another collection reaches no appeal photo, and police
officers, who hold none, see none in the admin. Which of the photos someone then sees is
the appeals' own rule (appeals.permission_policies).
"""

from django.db.models import F

APPEAL_PHOTOS = "Appeal photos"

# Collections are a tree stored as materialised paths (django-treebeard): four base-36
# characters a level.
_PATH_STEP = 4
_PATH_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def appeal_photos_collection(Collection):
    """The Appeal photos collection, made under the root if missing.

    ``Collection`` may be a migration's historical model, which has none of treebeard's
    methods: the node is written as treebeard would append it.
    """
    found = Collection.objects.filter(depth=2, name=APPEAL_PHOTOS).first()
    if found:
        return found
    root = Collection.objects.get(depth=1)
    last = Collection.objects.filter(depth=2).order_by("-path").values_list("path", flat=True)
    number = int(last[0][-_PATH_STEP:], len(_PATH_ALPHABET)) + 1 if last else 1
    step = ""
    while number:
        number, digit = divmod(number, len(_PATH_ALPHABET))
        step = _PATH_ALPHABET[digit] + step
    Collection.objects.filter(pk=root.pk).update(numchild=F("numchild") + 1)
    return Collection.objects.create(
        name=APPEAL_PHOTOS, depth=2, path=root.path + step.rjust(_PATH_STEP, "0"), numchild=0
    )


def file_new_image_as_appeal_photo(sender, instance, **kwargs) -> None:
    """An image made anywhere (an upload, the demo, code) without a collection chosen goes
    in Appeal photos: left in the root, no role could choose it."""
    from wagtail.models import Collection

    if instance._state.adding and instance.collection.depth == 1:
        instance.collection = appeal_photos_collection(Collection)


def register() -> None:
    from django.db.models.signals import pre_save
    from wagtail.images import get_image_model

    pre_save.connect(
        file_new_image_as_appeal_photo,
        sender=get_image_model(),
        dispatch_uid="homeward-image-appeal-photos",
    )
