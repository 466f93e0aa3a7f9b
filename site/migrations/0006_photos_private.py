"""Images are kept privately under random names; only live appeals' photos stay public.

Before, every original and rendition sat in the public media under the uploaded name,
and a taken-down appeal's originals in a "withdrawn-photos" folder. Each original now
moves to the private photo store under a random name; the photos of live appeals are
also copied back to the public media under that new name; renditions are deleted (they
are made again on first view, public or private as their image).
"""

from pathlib import PurePath
from uuid import uuid4

import wagtail.images.models
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import migrations

import homeward.storage


def keep_photos_privately(apps, schema_editor):
    Image = apps.get_model("homeward", "HomewardImage")
    Rendition = apps.get_model("homeward", "HomewardRendition")
    AppealPhoto = apps.get_model("appeals", "AppealPhoto")
    public, private = storages["default"], storages["photos_private"]
    withdrawn = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT / "withdrawn-photos")
    live = set(
        AppealPhoto.objects.filter(page__live=True, page__status="missing").values_list(
            "image_id", flat=True
        )
    )
    for rendition in Rendition.objects.all():
        public.delete(rendition.file.name)
    Rendition.objects.all().delete()
    for image in Image.objects.all():
        old = image.file.name
        source = withdrawn if withdrawn.exists(old) else public if public.exists(old) else None
        if source is None:
            continue
        new = f"original_images/{uuid4().hex}{PurePath(old).suffix.lower()}"
        with source.open(old, "rb") as photo:
            new = private.save(new, photo)
        if image.pk in live:
            with private.open(new, "rb") as photo:
                public.save(new, photo)
        Image.objects.filter(pk=image.pk).update(file=new)
        public.delete(old)
        withdrawn.delete(old)


class Migration(migrations.Migration):
    dependencies = [
        ("homeward", "0005_police_force_duty_email"),
        ("appeals", "0010_takedown_appeals_closed_before"),
    ]

    operations = [
        migrations.AlterField(
            model_name="homewardimage",
            name="file",
            field=wagtail.images.models.WagtailImageField(
                height_field="height",
                storage=homeward.storage.photo_storage,
                upload_to=wagtail.images.models.get_upload_to,
                verbose_name="file",
                width_field="width",
            ),
        ),
        migrations.RunPython(keep_photos_privately, migrations.RunPython.noop, elidable=True),
    ]
