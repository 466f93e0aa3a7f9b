"""The police's risk history (appeals.models.risk) and the ledger of review requests.

The effective risk now follows the latest assessment, and a police review may bring it
below the level recorded at referral: `appeal_risk_never_below_police` (effective level
equal to the police level, or high) would refuse every such review. Only the history
knows which lower level is right, so the review's rules (RiskAssessment.clean, the
service) hold that; the row keeps a weaker guard, `appeal_risk_level_known`: the
effective level is one of the levels (or the police level as it stands). The guard for
trafficked and unaccompanied children, `appeal_flagged_child_high_risk`, stays as it is.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0022_local_authorities_and_episode_statistics"),
        ("homeward", "0016_local_authorities"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RiskAssessment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("high", "High"),
                            ("medium", "Medium"),
                            ("low", "Low"),
                            ("no-apparent-risk", "No apparent risk"),
                        ],
                        max_length=20,
                        verbose_name="risk level",
                    ),
                ),
                (
                    "reason",
                    models.TextField(
                        blank=True,
                        help_text="Why this level. Needed for a level lower than the last one, or lower than high for a trafficked or unaccompanied child.",
                        max_length=1000,
                        validators=[django.core.validators.MaxLengthValidator(1000)],
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("recorded", "Recorded on the appeal when published"),
                            ("review", "Police review"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "assessed_at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now),
                ),
            ],
            options={
                "ordering": ["-assessed_at", "-pk"],
                "default_permissions": ("add",),
            },
        ),
        migrations.CreateModel(
            name="RiskReviewRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("due_since", models.DateTimeField()),
                ("claimed_at", models.DateTimeField(null=True)),
                ("sent_at", models.DateTimeField(null=True)),
            ],
            options={
                "default_permissions": (),
            },
        ),
        # Why this constraint gives way to the next: see the docstring.
        migrations.RemoveConstraint(
            model_name="appealpage",
            name="appeal_risk_never_below_police",
        ),
        migrations.AddConstraint(
            model_name="appealpage",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("risk_level__in", ["high", "medium", "low", "no-apparent-risk"]),
                    ("risk_level", models.F("police_risk_level")),
                    _connector="OR",
                ),
                name="appeal_risk_level_known",
            ),
        ),
        migrations.AddField(
            model_name="riskassessment",
            name="appeal",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="risk_assessments",
                to="appeals.appealpage",
            ),
        ),
        migrations.AddField(
            model_name="riskassessment",
            name="assessed_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="riskreviewrequest",
            name="appeal",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="appeals.appealpage",
            ),
        ),
        migrations.AddConstraint(
            model_name="riskassessment",
            constraint=models.CheckConstraint(
                condition=models.Q(("level__in", ["high", "medium", "low", "no-apparent-risk"])),
                name="risk_assessment_level_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="riskreviewrequest",
            constraint=models.UniqueConstraint(
                fields=("appeal", "due_since"), name="risk_review_request_once_per_period"
            ),
        ),
    ]
