"""An appeal's short address (/a/<code>): on its page and poster, redirecting while the
appeal is live, 410 Gone once it has ended (after the retention purge too), purged from
the CDN by the takedown, and 404 for an appeal that never went public."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from appeals.models import AppealShortLink
from appeals.models.short_links import ALPHABET, CODE_LENGTH
from homeward import roles
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_page_shows_its_short_address_which_leads_to_it(client, appeal):
    html = client.get(appeal.url).content.decode()
    link = AppealShortLink.objects.get(appeal=appeal)
    assert len(link.code) == CODE_LENGTH and set(link.code) <= set(ALPHABET)
    assert f"127.0.0.1:8000/a/{link.code}" in html
    for typed in [f"/a/{link.code}", f"/a/{link.code}/", f"/a/{link.code.upper()}"]:
        response = client.get(typed)
        assert response.status_code == 302, typed
        assert response["Location"] == appeal.url
    assert client.get("/a/zzzzzzz").status_code == 404


def test_each_appeal_keeps_one_code(client, directory):
    first, second = factories.appeal_create(), factories.appeal_create()
    codes = {AppealShortLink.for_appeal(first.pk).code for _ in range(3)}
    assert len(codes) == 1
    assert AppealShortLink.for_appeal(second.pk).code not in codes


def test_an_appeal_that_never_went_public_is_not_found(client, directory):
    draft = factories.appeal_create(publish=False)
    assert client.get(AppealShortLink.for_appeal(draft.pk).url).status_code == 404


def test_after_takedown_and_after_the_purge_the_short_address_is_gone(
    client, appeal, frontend_cache, django_capture_on_commit_callbacks
):
    link = AppealShortLink.for_appeal(appeal.pk)
    assert client.get(link.url).status_code == 302
    takedown = factories.appeal_found(
        appeal, capture=django_capture_on_commit_callbacks, reason="Found safe."
    )

    gone = client.get(link.url)
    assert gone.status_code == 410
    assert appeal.title not in gone.content.decode()
    assert "116&nbsp;000" in gone.content.decode()
    # The CDN was told to forget the short address and the poster and flyer under it.
    for path in link.public_paths():
        assert path in frontend_cache, path

    takedown.refresh_from_db()
    with time_machine.travel(takedown.closed_at + timedelta(days=400)):
        call_command("appeals_retention_purge", stdout=StringIO())
    takedown.refresh_from_db()
    assert takedown.purged_at is not None
    for path in [link.url, link.poster_url, link.flyer_url]:
        assert client.get(path).status_code == 410, path


def test_a_new_revision_going_live_purges_the_poster_from_the_cdn(
    client, appeal, frontend_cache, django_capture_on_commit_callbacks
):
    """The poster shows the live revision: when another goes live, a CDN's copy of the old
    one must go, though it lives outside the page's own address."""
    link = AppealShortLink.for_appeal(appeal.pk)
    appeal.hair = "Dyed red since she went missing"
    appeal.save_revision(user=factories.staff(roles.EDITORS))
    frontend_cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        factories.publicity_clear(appeal)
    for path in [link.poster_url, link.flyer_url, link.url]:
        assert path in frontend_cache, path
