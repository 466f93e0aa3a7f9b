from django.db import migrations
from django.utils import timezone

INTRO = (
    "Every day, children and adults go missing across the UK. If you recognise someone "
    "here, your call could bring them home safely."
)


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("homeward", "HomePage")

    # Wagtail's welcome page (and the site pointing at it) make way for ours.
    Page.objects.filter(depth=2, content_type__app_label="wagtailcore").delete()
    content_type, _ = ContentType.objects.get_or_create(app_label="homeward", model="homepage")
    now = timezone.now()
    home = HomePage.objects.create(
        title="Have you seen them?",
        draft_title="Have you seen them?",
        slug="home",
        intro=INTRO,
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=Locale.objects.order_by("pk").first(),
        first_published_at=now,
        last_published_at=now,
    )
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.create(
        hostname="localhost", port=80, site_name="Homeward", root_page=home, is_default_site=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("homeward", "0002_police_forces"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_home_page, migrations.RunPython.noop)]
