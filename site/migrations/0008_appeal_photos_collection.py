"""Appeal photos move from the root collection to their own, "Appeal photos", and the
roles' image permissions with them (see homeward.image_collections)."""

from django.db import migrations

from homeward.image_collections import appeal_photos_collection
from homeward.roles import roles_sync


def file_images_as_appeal_photos(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    Image = apps.get_model("homeward", "HomewardImage")
    appeal_photos = appeal_photos_collection(Collection)
    Image.objects.filter(collection__depth=1).update(collection=appeal_photos)
    roles_sync(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("homeward", "0007_one_line_fields"),
    ]

    operations = [migrations.RunPython(file_images_as_appeal_photos, migrations.RunPython.noop)]
