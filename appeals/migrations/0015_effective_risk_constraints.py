"""The database's guard on the effective risk (added apart from the data migration:
PostgreSQL cannot alter a table with the updates' trigger events still pending)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("appeals", "0014_effective_risk_level")]

    operations = [
        migrations.AddConstraint(
            model_name="appealpage",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("is_child", False),
                    models.Q(("trafficked", False), ("unaccompanied_asylum_seeking", False)),
                    ("risk_level", "high"),
                    _connector="OR",
                ),
                name="appeal_flagged_child_high_risk",
            ),
        ),
        migrations.AddConstraint(
            model_name="appealpage",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("is_child", False),
                    models.Q(("trafficked", False), ("unaccompanied_asylum_seeking", False)),
                    ("police_risk_level__in", ["high", ""]),
                    models.Q(("police_risk_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="appeal_lower_police_risk_explained",
            ),
        ),
        migrations.AddConstraint(
            model_name="appealpage",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("risk_level", models.F("police_risk_level")),
                    ("risk_level", "high"),
                    _connector="OR",
                ),
                name="appeal_risk_never_below_police",
            ),
        ),
    ]
