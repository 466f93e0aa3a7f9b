"""Originals stored before every image was rebuilt from its pixels alone carry a JPEG's
comment or a PNG's colour profile: each is re-encoded in place (its private copy, and its
public one if published), and its renditions are deleted, to be made again from it."""

from io import BytesIO

from django.core.files.base import ContentFile
from django.db import migrations
from PIL import Image as PILImage
from wagtail.utils.file import hash_filelike

from homeward.images import UNREADABLE, image_without_metadata


def originals_without_metadata(apps, schema_editor):
    Image = apps.get_model("homeward", "HomewardImage")
    Rendition = apps.get_model("homeward", "HomewardRendition")
    for image in Image.objects.exclude(file=""):
        name = image.file.name
        storage = image.file.storage
        try:
            with storage.open(name, "rb") as stored:
                data, extension = image_without_metadata(stored)
        except (*UNREADABLE, FileNotFoundError):
            continue  # a missing or broken file: nothing to leak, nothing to fix here
        if not name.lower().endswith("." + extension):
            continue  # every original was stored as JPEG, PNG or WebP: never happens
        for store in (getattr(storage, "private", storage), getattr(storage, "public", None)):
            if store is not None and store.exists(name):
                store.delete(name)
                store.save(name, ContentFile(data))
        for rendition in Rendition.objects.filter(image_id=image.pk):
            rendition.file.storage.delete(rendition.file.name)
        Rendition.objects.filter(image_id=image.pk).delete()
        with PILImage.open(BytesIO(data)) as decoded:
            width, height = decoded.size
        Image.objects.filter(pk=image.pk).update(
            width=width,
            height=height,
            file_size=len(data),
            file_hash=hash_filelike(BytesIO(data)),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("homeward", "0008_appeal_photos_collection"),
    ]

    operations = [
        migrations.RunPython(originals_without_metadata, migrations.RunPython.noop, elidable=True),
    ]
