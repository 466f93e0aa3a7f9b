"""The police's recorded risk level is kept apart from the effective risk everyone uses,
which is high for a trafficked or unaccompanied child whatever the police recorded."""

import django.core.validators
from django.db import migrations, models
from django.db.models import F, Q

HIGH = "high"
# Existing rows could not have given a reason: this says so, rather than inventing one.
REASON_NOT_ASKED = (
    "Not recorded: the police level was entered before a reason for a level lower than "
    "high was asked for."
)


def _flagged_child(content: dict) -> bool:
    return bool(
        content.get("is_child")
        and (content.get("trafficked") or content.get("unaccompanied_asylum_seeking"))
    )


def _appeal_revisions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    content_type = ContentType.objects.filter(app_label="appeals", model="appealpage").first()
    if content_type is None:
        return Revision.objects.none()
    return Revision.objects.filter(content_type=content_type)


def risk_split(apps, schema_editor):
    AppealPage = apps.get_model("appeals", "AppealPage")
    flagged = Q(is_child=True) & (Q(trafficked=True) | Q(unaccompanied_asylum_seeking=True))
    AppealPage.objects.update(police_risk_level=F("risk_level"))
    AppealPage.objects.filter(flagged & ~Q(police_risk_level__in=[HIGH, ""])).update(
        police_risk_reason=REASON_NOT_ASKED
    )
    AppealPage.objects.filter(flagged).update(risk_level=HIGH)
    # Revisions say the same, so a cleared revision still matches its live page.
    for revision in _appeal_revisions(apps).iterator():
        content = revision.content
        police = content.get("risk_level", "")
        below_high = _flagged_child(content) and police not in (HIGH, "")
        content["police_risk_level"] = police
        content["police_risk_reason"] = REASON_NOT_ASKED if below_high else ""
        content["risk_level"] = HIGH if _flagged_child(content) else police
        revision.save(update_fields=["content"])


def risk_join(apps, schema_editor):
    AppealPage = apps.get_model("appeals", "AppealPage")
    AppealPage.objects.update(risk_level=F("police_risk_level"))
    for revision in _appeal_revisions(apps).iterator():
        content = revision.content
        content["risk_level"] = content.pop("police_risk_level", content.get("risk_level", ""))
        content.pop("police_risk_reason", None)
        revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0013_one_line_fields"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="appealpage",
            name="police_risk_level",
            field=models.CharField(
                choices=[
                    ("high", "High"),
                    ("medium", "Medium"),
                    ("low", "Low"),
                    ("no-apparent-risk", "No apparent risk"),
                ],
                default="",
                max_length=20,
                verbose_name="police risk level",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="appealpage",
            name="police_risk_reason",
            field=models.TextField(
                blank=True,
                help_text="A trafficked or unaccompanied child is treated as high risk by "
                "everyone, whatever the police level. If the police recorded a lower level, "
                "say why.",
                max_length=1000,
                validators=[django.core.validators.MaxLengthValidator(1000)],
                verbose_name="why the police level is lower than high",
            ),
        ),
        migrations.AlterField(
            model_name="appealpage",
            name="risk_level",
            field=models.CharField(
                choices=[
                    ("high", "High"),
                    ("medium", "Medium"),
                    ("low", "Low"),
                    ("no-apparent-risk", "No apparent risk"),
                ],
                editable=False,
                max_length=20,
                verbose_name="effective risk level",
            ),
        ),
        migrations.RunPython(risk_split, risk_join),
    ]
