"""The migration that moves existing images into the private photo store: every original
gets a random name there; only live appeals' photos keep a public copy (under the new
name); the old public files, the withdrawn-photos folder's and all renditions go."""

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from wagtail.images import get_image_model

from tests import factories
from tests.migrations import latest_migrations, migrate

BEFORE = [("homeward", "0005_police_force_duty_email")]
OLD_NAMES = {
    "live": "original_images/Marigold-Quillfeather-live.jpg",
    "draft": "original_images/Marigold-Quillfeather-draft.jpg",
    "withdrawn": "original_images/Marigold-Quillfeather-withdrawn.jpg",
}
RENDITION = "images/Marigold-Quillfeather-live.fill-10x10.jpg"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_images_move_to_the_private_store_under_random_names(directory):
    appeals = {
        "live": factories.appeal_create(),
        "draft": factories.appeal_create(publish=False),
        "withdrawn": factories.appeal_create(publish=False),
    }
    images = {state: appeal.photos.get().image for state, appeal in appeals.items()}
    public = storages["default"]
    withdrawn = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT / "withdrawn-photos")
    latest = latest_migrations()
    migrate(BEFORE)
    try:
        # As before: originals in the public media under the uploaded name (a taken-down
        # appeal's in the withdrawn-photos folder) and renditions beside them.
        for state, image in images.items():
            store = withdrawn if state == "withdrawn" else public
            store.save(OLD_NAMES[state], ContentFile(factories.image_bytes()))
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE homeward_homewardimage SET file = %s WHERE id = %s",
                    [OLD_NAMES[state], image.pk],
                )
        rendition = public.save(RENDITION, ContentFile(factories.image_bytes()))
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO homeward_homewardrendition "
                "(filter_spec, file, width, height, focal_point_key, image_id) "
                "VALUES ('fill-10x10', %s, 10, 10, '', %s)",
                [rendition, images["live"].pk],
            )
    finally:
        migrate(latest)

    private = storages["photos_private"]
    for state, image in images.items():
        name = get_image_model().objects.get(pk=image.pk).file.name
        assert "marigold" not in name.lower() and name.startswith("original_images/")
        assert private.exists(name)
        assert public.exists(name) == (state == "live"), state
        assert not public.exists(OLD_NAMES[state]) and not withdrawn.exists(OLD_NAMES[state])
    assert not get_image_model().get_rendition_model().objects.exists()
    assert not public.exists(RENDITION)
