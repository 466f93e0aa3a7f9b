"""The migration that splits the police level from the effective risk: existing flagged
children recorded below high become high risk, in their pages and their revisions."""

import pytest
from django.db import connection

from appeals.models import AppealPage
from tests import factories
from tests.migrations import latest_migrations, migrate

BEFORE = [("appeals", "0013_one_line_fields")]
AFTER = [("appeals", "0015_effective_risk_constraints")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_flagged_children_recorded_below_high_become_high_risk(directory):
    child = factories.appeal_create(publish=False, trafficked=True, police_risk_level="high")
    adult = factories.appeal_create(publish=False, age_when_missing=40, police_risk_level="low")
    latest = latest_migrations()
    migrate(BEFORE)
    try:
        # As the old schema allowed: a trafficked child saved with police risk "low".
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE appeals_appealpage SET risk_level = 'low' WHERE page_ptr_id = %s",
                [child.pk],
            )
        revision = child.get_latest_revision()
        revision.content = {**revision.content, "risk_level": "low"}
        revision.content.pop("police_risk_level", None)
        revision.content.pop("police_risk_reason", None)
        revision.save(update_fields=["content"])
        migrate(AFTER)
    finally:
        migrate(latest)

    child = AppealPage.objects.get(pk=child.pk)
    assert (child.police_risk_level, child.risk_level) == ("low", "high")
    assert child.police_risk_reason.startswith("Not recorded")
    content = child.get_latest_revision().content
    assert (content["police_risk_level"], content["risk_level"]) == ("low", "high")
    assert content["police_risk_reason"] == child.police_risk_reason
    adult = AppealPage.objects.get(pk=adult.pk)
    assert (adult.police_risk_level, adult.risk_level, adult.police_risk_reason) == (
        "low",
        "low",
        "",
    )
