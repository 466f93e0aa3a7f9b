"""One person across their episodes (appeals.models.people), and the safety check's
question about the "photo album" of their earlier public appeals."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0023_risk_reviews"),
        ("homeward", "0016_local_authorities"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Person",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "verbose_name": "person across episodes",
            },
        ),
        migrations.CreateModel(
            name="PersonEpisode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("linked_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "verbose_name": "episode",
            },
        ),
        migrations.RemoveConstraint(
            model_name="publicitycheck",
            name="publicity_check_public_only_without_risk",
        ),
        migrations.AddField(
            model_name="publicitycheck",
            name="risk_of_photo_album",
            field=models.CharField(
                blank=True,
                choices=[
                    ("no", "No"),
                    ("mitigated", "Yes, but the appeal's content has been changed to prevent it"),
                    ("yes", "Yes"),
                ],
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="publicitycheck",
            name="risk_of_photo_album_notes",
            field=models.TextField(
                blank=True,
                max_length=2000,
                validators=[django.core.validators.MaxLengthValidator(2000)],
            ),
        ),
        migrations.AlterField(
            model_name="appealpage",
            name="police_risk_reason",
            field=models.TextField(
                blank=True,
                help_text="A trafficked or unaccompanied child is treated as high risk by everyone, whatever the police level, and risk does not fade because someone goes missing again. If the police recorded a level lower than high for such a child, or lower than their previous episode's, say why.",
                max_length=1000,
                validators=[django.core.validators.MaxLengthValidator(1000)],
                verbose_name="why the police level is lower",
            ),
        ),
        migrations.AddConstraint(
            model_name="publicitycheck",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("decision", "public"), _negated=True),
                    models.Q(
                        models.Q(("risk_of_locating", "yes"), _negated=True),
                        models.Q(("risk_of_displacement", "yes"), _negated=True),
                        models.Q(("risk_of_identifying_community", "yes"), _negated=True),
                        models.Q(("risk_of_photo_album", "yes"), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="publicity_check_public_only_without_risk",
            ),
        ),
        migrations.AddConstraint(
            model_name="publicitycheck",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("risk_of_photo_album__in", ["no", ""]),
                    models.Q(("risk_of_photo_album_notes", ""), _negated=True),
                    _connector="OR",
                ),
                name="publicity_check_photo_album_risk_explained",
            ),
        ),
        migrations.AddField(
            model_name="personepisode",
            name="appeal",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="person_episode",
                to="appeals.appealpage",
            ),
        ),
        migrations.AddField(
            model_name="personepisode",
            name="linked_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="personepisode",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="episodes",
                to="appeals.person",
            ),
        ),
    ]
