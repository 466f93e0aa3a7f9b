"""A social post per channel for each time an appeal is public; expired appeals reopen."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def withdraw_taken_down_posts(apps, schema_editor):
    """Posts of appeals already taken down were withdrawn when their takedown began."""
    SocialPost = apps.get_model("appeals", "SocialPost")
    AppealTakedown = apps.get_model("appeals", "AppealTakedown")
    began = AppealTakedown.objects.filter(appeal_id=OuterRef("appeal_id")).values("closed_at")
    SocialPost.objects.filter(appeal__takedown__isnull=False).update(
        withdrawn_at=Subquery(began[:1])
    )


def reopen_expired_appeals(apps, schema_editor):
    """An ended clearance no longer closes an appeal: those not yet purged are open again,
    down until renewed (their takedown record says "expired")."""
    AppealPage = apps.get_model("appeals", "AppealPage")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    expired = AppealPage.objects.filter(status="expired", takedown__purged_at__isnull=True)
    ids = [str(pk) for pk in expired.values_list("pk", flat=True)]
    if not ids:
        return
    expired.update(status="missing", closed_at=None)
    content_type = ContentType.objects.get(app_label="appeals", model="appealpage")
    for revision in Revision.objects.filter(content_type=content_type, object_id__in=ids):
        if revision.content.get("status") == "expired":
            revision.content = {**revision.content, "status": "missing", "closed_at": None}
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0008_takedown_former_slug"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="socialpost",
            options={"ordering": ["channel", "created_at"]},
        ),
        migrations.RemoveConstraint(
            model_name="socialpost",
            name="one_post_per_channel",
        ),
        migrations.AddField(
            model_name="socialpost",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(withdraw_taken_down_posts, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="socialpost",
            constraint=models.UniqueConstraint(
                condition=models.Q(("withdrawn_at__isnull", True)),
                fields=("appeal", "channel"),
                name="one_post_per_channel",
            ),
        ),
        migrations.RunPython(reopen_expired_appeals, migrations.RunPython.noop),
    ]
