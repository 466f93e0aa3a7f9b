"""Other apps join an appeal's life through hooks (appeals.lifecycle_hooks), so appeals
import none of them; what they register still runs, and a takedown step that nothing
clears is caught, never recorded as done."""

import pytest
from django.core import checks

from appeals.models import AppealTakedown
from appeals.services import takedown as takedown_service
from tests import factories

pytestmark = pytest.mark.django_db

Step = AppealTakedown.Step


def test_every_takedown_step_is_cleared_the_emails_by_newsletter():
    clearing = takedown_service.takedown_steps()
    assert set(clearing) == set(Step)
    assert clearing[Step.EMAILS].__module__ == "newsletter.appeal_lifecycle"
    assert not [error for error in checks.run_checks() if error.id == "appeals.E001"]


def test_a_step_nothing_clears_fails_the_check_and_stays_pending(
    directory, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(takedown_service, "takedown_steps_registered", dict)
    errors = [error for error in checks.run_checks() if error.id == "appeals.E001"]
    assert [error.msg for error in errors] == [
        "Nothing clears the takedown step 'Unsent emails' (emails).",
        "Nothing clears the takedown step 'Partners told' (partners).",
    ]

    appeal = factories.appeal_create(parent=directory)
    takedown = factories.appeal_found(appeal, capture=django_capture_on_commit_callbacks)
    takedown.refresh_from_db()
    assert takedown.steps_pending() == [Step.EMAILS, Step.PARTNERS]
    assert "Unsent emails: nothing is registered to clear this step" in takedown.last_error
    assert takedown.completed_at is None
