from django.db import migrations
from django.utils import timezone


def create_directory(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    AppealIndexPage = apps.get_model("appeals", "AppealIndexPage")

    home = Page.objects.get(depth=2, slug="home")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="appeals", model="appealindexpage"
    )
    now = timezone.now()
    AppealIndexPage.objects.create(
        title="Missing people",
        draft_title="Missing people",
        slug="appeals",
        intro="Children and adults missing now. Search by name or place, or narrow by area.",
        content_type=content_type,
        path=home.path + "0001",
        depth=3,
        numchild=0,
        url_path=home.url_path + "appeals/",
        locale_id=home.locale_id,
        first_published_at=now,
        last_published_at=now,
    )
    home.numchild = 1
    home.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0001_initial"),
        ("homeward", "0003_home_page"),
    ]

    operations = [migrations.RunPython(create_directory, migrations.RunPython.noop)]
