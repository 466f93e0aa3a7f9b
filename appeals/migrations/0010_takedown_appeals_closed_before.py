"""Appeals closed before closing had its takedown (their status set by hand in the editor)
get a takedown record now, so the takedown sweep clears their surfaces and the retention
purge counts from the day they closed."""

from django.db import migrations
from django.utils import timezone


def take_down_appeals_closed_before(apps, schema_editor):
    AppealPage = apps.get_model("appeals", "AppealPage")
    AppealTakedown = apps.get_model("appeals", "AppealTakedown")
    closed = AppealPage.objects.filter(status__in=["found", "withdrawn"], takedown__isnull=True)
    AppealTakedown.objects.bulk_create(
        AppealTakedown(
            appeal_id=appeal.pk,
            police_force_id=appeal.police_force_id,
            outcome=appeal.status,
            missing_since=appeal.missing_since,
            first_published_at=appeal.first_published_at,
            closed_at=appeal.closed_at or timezone.now(),
        )
        for appeal in closed
    )


class Migration(migrations.Migration):
    dependencies = [("appeals", "0009_social_post_per_go_live")]

    operations = [migrations.RunPython(take_down_appeals_closed_before, migrations.RunPython.noop)]
