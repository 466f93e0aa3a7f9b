"""What a closed appeal's address says: "this has ended" (410) only if it was ever public;
one that never went public answers as if it had never existed (404)."""

import pytest

from appeals.models import AppealPage
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_appeal_closed_after_being_public_answers_410(
    client, appeal, django_capture_on_commit_callbacks
):
    url = appeal.url
    factories.appeal_found(appeal, capture=django_capture_on_commit_callbacks)
    assert client.get(url).status_code == 410


def test_an_appeal_closed_before_it_was_ever_public_answers_404(
    client, directory, django_capture_on_commit_callbacks
):
    draft = factories.appeal_create(parent=directory, publish=False, slug="never-public")
    url = AppealPage.objects.get(pk=draft.pk).url
    assert client.get(url).status_code == 404
    factories.appeal_found(draft, capture=django_capture_on_commit_callbacks)
    assert AppealPage.objects.get(pk=draft.pk).is_closed
    assert client.get(url).status_code == 404
