"""The Heroes campaigns in the admin: paged, filtered and exported lists, one campaign's
figures and history, cancelling through the service, and who may see or do any of it (a
campaign refused answers 404)."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from homeward import roles
from newsletter.models import Campaign, Delivery
from tests import factories
from tests.newsletter.conftest import hero_create

pytestmark = pytest.mark.django_db

INDEX = "heroes_campaigns:index"
NO_ROLE = "(signed in, no role)"
# Who reads the campaigns, and who cancels one: the roles with newsletter.view_campaign
# and newsletter.change_campaign.
READERS = {roles.PUBLISHERS, roles.ADMINISTRATORS}
EVERYONE = [*roles.ROLES, NO_ROLE]


def campaign_create(number: int, *, kind="regular", appeal=None, **fields) -> Campaign:
    return Campaign.objects.create(
        kind=kind,
        appeal=appeal,
        period=f"2024-W{number:03}" if kind == "regular" else "",
        subject=f"Campaign number {number:03}",
        content={},
        html_template="",
        text_template="",
        created_at=timezone.now() - timedelta(days=number),
        **fields,
    )


def user_for(who: str, **fields):
    if who == roles.POLICE_OFFICERS:
        return factories.user_create(role=who, force_slug="kent-police", **fields)
    return factories.user_create(role=None if who == NO_ROLE else who, **fields)


@pytest.fixture
def publisher(client):
    user = factories.user_create(role=roles.PUBLISHERS)
    client.force_login(user)
    return user


@pytest.fixture
def sending(forces):
    """A regular email half sent: two messages queued, one sent."""
    campaign = campaign_create(1)
    for number, status in enumerate(["queued", "queued", "sent"]):
        hero = hero_create(f"hero{number}@example.org", areas=[forces[0]])
        Delivery.objects.create(campaign=campaign, hero=hero, status=status)
    return campaign


def subjects(response) -> list[str]:
    """The campaigns a page lists, by subject, oldest number (newest campaign) first."""
    return sorted(set(re.findall(r"Campaign number \d{3}", response.content.decode())))


def test_the_list_pages_past_the_fifty_it_used_to_stop_at(client, publisher):
    for number in range(1, 56):
        campaign_create(number)
    first = client.get(reverse(INDEX))
    assert first.status_code == 200
    assert subjects(first) == [f"Campaign number {n:03}" for n in range(1, 21)]  # newest first
    last = client.get(reverse(INDEX), {"p": 3})
    assert subjects(last) == [f"Campaign number {n:03}" for n in range(41, 56)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "urgent"}, {2}),
        ({"status": "cancelled"}, {3}),
        ({"kind": "regular", "status": "sending"}, {1}),
        ("appeal", {2}),
        ("created", {1, 2}),
    ],
)
def test_filters(client, publisher, directory, query, expected):
    appeal = factories.appeal_create(parent=directory)
    campaign_create(1)
    campaign_create(2, kind="urgent", appeal=appeal)
    campaign_create(3, status=Campaign.Status.CANCELLED)
    if query == "appeal":
        query = {"appeal": appeal.pk}
    elif query == "created":
        since = timezone.localdate() - timedelta(days=2)
        query = {"created_at_from": since.isoformat()}
    response = client.get(reverse(INDEX), query)
    assert subjects(response) == [f"Campaign number {n:03}" for n in sorted(expected)]


def test_the_export_holds_every_campaign_with_its_figures(client, publisher, sending):
    for number in range(2, 31):
        campaign_create(number)
    response = client.get(reverse(INDEX), {"export": "csv"})
    exported = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert len(rows) == 30  # not one page of 20
    newest = rows[0]
    assert newest["Kind"] == "Regular appeals email"
    assert newest["Status"] == "Sending"
    assert (newest["Queued"], newest["Sent"], newest["Failed"]) == ("2", "1", "0")


@pytest.mark.parametrize("who", EVERYONE)
def test_who_sees_the_list(client, who):
    campaign_create(1)
    client.force_login(user_for(who))
    response = client.get(reverse(INDEX))
    if who in READERS:
        assert response.status_code == 200
        assert "Campaign number 001" in response.content.decode()
    else:
        assert response.status_code == 302
        assert response.url != reverse(INDEX)


@pytest.mark.parametrize("who", roles.ROLES)
@pytest.mark.parametrize("view", ["inspect", "history", "cancel"])
def test_a_campaign_refused_is_not_found(client, sending, who, view):
    """Staff who may not read campaigns are told there is no such campaign. (Someone with
    no role has no admin at all: the admin sends them to sign in, as on every page.)"""
    client.force_login(user_for(who))
    response = client.get(reverse(f"heroes_campaigns:{view}", args=[sending.pk]))
    assert response.status_code == (200 if who in READERS else 404)
    if who not in READERS:
        assert client.post(reverse("heroes_campaigns:cancel", args=[sending.pk])).status_code == 404
        assert Campaign.objects.get(pk=sending.pk).status == Campaign.Status.SENDING


def test_a_campaign_about_another_forces_appeal_is_not_found(client, directory, forces):
    """Whoever reads campaigns without seeing every force sees their own force's appeals'."""
    own_force, other_force = forces[0], forces[1]
    officer = factories.user_create(role=roles.POLICE_OFFICERS, force_slug=own_force.slug)
    officer.user_permissions.add(Permission.objects.get(codename="view_campaign"))
    own_appeal = factories.appeal_create(police_force=own_force)
    own = campaign_create(1, kind="briefing", appeal=own_appeal)
    other = campaign_create(
        2, kind="briefing", appeal=factories.appeal_create(police_force=other_force)
    )
    campaign_create(3)
    client.force_login(officer)
    assert subjects(client.get(reverse(INDEX))) == ["Campaign number 001", "Campaign number 003"]
    assert client.get(reverse("heroes_campaigns:inspect", args=[own.pk])).status_code == 200
    assert client.get(reverse("heroes_campaigns:inspect", args=[other.pk])).status_code == 404


def test_cancelling_goes_through_the_service_and_into_the_history(client, publisher, sending):
    inspect_url = reverse("heroes_campaigns:inspect", args=[sending.pk])
    cancel_url = reverse("heroes_campaigns:cancel", args=[sending.pk])
    figures = client.get(inspect_url).content.decode()
    assert cancel_url in figures
    assert reverse("heroes_campaigns:history", args=[sending.pk]) in figures
    assert "Queued" in figures
    assert "Html template" not in figures
    asked = " ".join(client.get(cancel_url).content.decode().split())
    assert "2 emails of this campaign are still waiting to be sent" in asked

    response = client.post(cancel_url, follow=True)

    assert response.redirect_chain[-1][0] == inspect_url
    assert "Cancelled: 2 emails not yet sent will not be sent." in response.content.decode()
    sending.refresh_from_db()
    assert sending.status == Campaign.Status.CANCELLED
    assert sorted(sending.deliveries.values_list("status", flat=True)) == [
        "cancelled",
        "cancelled",
        "sent",
    ]
    assert cancel_url not in client.get(inspect_url).content.decode()
    history = client.get(reverse("heroes_campaigns:history", args=[sending.pk])).content.decode()
    assert "Cancelled what was not sent: 2 emails will not be sent" in history
    assert publisher.get_full_name() in history or publisher.get_username() in history


def test_cancel_is_offered_only_while_sending(client, publisher, sending):
    done = campaign_create(2, status=Campaign.Status.DONE)
    listing = client.get(reverse(INDEX)).content.decode()
    assert reverse("heroes_campaigns:cancel", args=[sending.pk]) in listing
    assert reverse("heroes_campaigns:cancel", args=[done.pk]) not in listing


def test_nothing_is_added_edited_or_deleted_here(client, publisher, sending):
    admin = factories.user_create(is_superuser=True, is_staff=True)
    client.force_login(admin)
    listing = client.get(reverse(INDEX)).content.decode()
    assert "/edit/" not in listing
    assert "/delete/" not in listing
    assert "Add campaign" not in listing


def test_the_list_says_in_plain_words_when_no_mail_server_is_connected(client, publisher, settings):
    settings.EMAIL_HOST = ""
    page = " ".join(client.get(reverse(INDEX)).content.decode().split())
    assert "the site is not connected to a mail server" in page
    assert "Ask your site administrator to connect the charity's mail server" in page
    assert "EMAIL_HOST" not in page
    settings.EMAIL_HOST = "smtp.example.org"
    assert "not connected to a mail server" not in client.get(reverse(INDEX)).content.decode()


def test_a_campaign_that_stopped_sending_has_nothing_to_cancel(client, publisher, sending):
    Campaign.objects.filter(pk=sending.pk).update(status=Campaign.Status.DONE)
    response = client.post(reverse("heroes_campaigns:cancel", args=[sending.pk]), follow=True)
    assert "nothing to cancel" in response.content.decode()
    assert sending.deliveries.filter(status="queued").count() == 2
    history = client.get(reverse("heroes_campaigns:history", args=[sending.pk])).content.decode()
    assert "Cancelled what was not sent" not in history
