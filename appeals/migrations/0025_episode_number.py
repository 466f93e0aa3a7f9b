"""Which of the person's known episodes each statistics row was, for the trends."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0024_people_across_episodes"),
    ]

    operations = [
        migrations.AddField(
            model_name="episodestatistic",
            name="episode_number",
            field=models.PositiveSmallIntegerField(
                default=1, help_text="The person's how-many-th known episode this was."
            ),
        ),
    ]
