"""What each role's dashboard says about sightings waiting, and what the force's urgent
duty alert says: a link straight to the sighting, and where and when it was seen."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from homeward import roles
from homeward.models import PoliceForce
from sightings import services
from sightings.models import Sighting
from tests import factories
from tests.sightings.conftest import OWNING_FORCE, login_as

pytestmark = pytest.mark.django_db


def waiting_since(sighting: Sighting, minutes: int) -> None:
    received = timezone.now() - timedelta(minutes=minutes)
    Sighting.objects.filter(pk=sighting.pk).update(received_at=received, queue_rank=received)


def panel_of(client) -> str:
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    start = html.find('id="waiting-sightings-section"')
    return html[start : html.find("</section>", start)] if start >= 0 else ""


@pytest.fixture
def kent_appeal(directory):
    return factories.appeal_create(police_force=PoliceForce.objects.get(slug="kent-police"))


def test_an_officers_dashboard_lists_their_forces_waiting_sightings_urgent_first(
    client, appeal, kent_appeal
):
    officer = login_as(client, "police of the owning force")
    urgent = factories.sighting_create(appeal, with_them_now=True)
    waiting_since(urgent, 11)
    older = factories.sighting_create(appeal)
    waiting_since(older, 130)
    newer = factories.sighting_create(appeal)
    waiting_since(newer, 3)
    claimed = factories.sighting_create(appeal)
    services.sighting_claim(sighting=claimed, user=officer)
    theirs = factories.sighting_create(kent_appeal, with_them_now=True)

    panel = panel_of(client)
    assert "1 urgent" in panel and "3 in all" in panel and "for your force" in panel
    # Urgent first, then the longest waiting; each linked straight to the sighting.
    positions = [panel.index(s.reference) for s in (urgent, older, newer)]
    assert positions == sorted(positions)
    assert re.search(r"<td>\s*11 min\s*</td>", panel) and "2 h 10 min" in panel
    for sighting in (urgent, older, newer):
        assert reverse("sightings:inspect", args=[sighting.public_id]) in panel
    assert claimed.reference not in panel and theirs.reference not in panel


def test_a_caseworkers_dashboard_lists_every_forces_waiting_sightings_by_urgency(
    client, appeal, kent_appeal
):
    ours = factories.sighting_create(appeal)
    waiting_since(ours, 60)
    theirs = factories.sighting_create(kent_appeal, with_them_now=True)
    waiting_since(theirs, 5)
    login_as(client, roles.CASEWORKERS)
    panel = panel_of(client)
    assert "across every force" in panel
    assert panel.index(theirs.reference) < panel.index(ours.reference)
    assert "Kent Police" in panel and "1 h 0 min" in panel


@pytest.mark.parametrize("who", [roles.EDITORS, roles.PUBLISHERS, "superuser"])
def test_no_sightings_panel_for_roles_that_see_no_sightings(client, appeal, who):
    factories.sighting_create(appeal, with_them_now=True)
    login_as(client, who)
    assert panel_of(client) == ""


def test_an_officer_with_nothing_waiting_is_told_so(client, appeal):
    login_as(client, "police of the owning force")
    assert "No sightings are waiting to be claimed for your force" in panel_of(client)


def test_the_urgent_alert_links_to_the_sighting_and_says_where_and_when(
    appeal, settings, django_capture_on_commit_callbacks
):
    PoliceForce.objects.filter(slug=OWNING_FORCE).update(duty_email="duty@nyp.police.invalid")
    mail.outbox.clear()
    seen = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=20)
    with django_capture_on_commit_callbacks(execute=True):
        sighting = factories.sighting_create(
            appeal,
            with_them_now=True,
            seen_at=seen,
            location="Bus shelter by the Co-op, Station Road & High St",
            identity="named",
            name="Witness Fairweather",
            phone="07700 900456",
        )
    (message,) = mail.outbox
    body = message.body
    url = settings.BASE_URL + reverse("sightings:inspect", args=[sighting.public_id])
    assert url in body.split()
    assert "Where: Bus shelter by the Co-op, Station Road & High St" in body
    local = timezone.localtime(sighting.seen_at)
    assert f"Seen: {local:%-d %B %Y, %H:%M}" in body
    # A duty inbox, not Homeward: no more of the reporter than before.
    assert "Fairweather" not in body and "07700" not in body
    assert "Fairweather" not in message.subject
