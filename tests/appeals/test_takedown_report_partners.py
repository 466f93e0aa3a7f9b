"""The takedowns report says, per takedown, what each partner that may hold the appeal was
told (delivered, waiting, failed with the error, or nothing, and why) and when it last
fetched: written by newsletter through the ``takedown_report_partners`` hook, so appeals
imports nothing of it; shown only to those who may see partners; and in as many queries
for a page of many takedowns as for a page of two."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from appeals.models import AppealTakedown
from homeward import roles
from homeward.models import PoliceForce
from newsletter.models import Partner, PartnerAccess, PartnerNotice
from newsletter.services.partner_keys import partner_key_create
from tests import factories

pytestmark = pytest.mark.django_db

REPORT = "appeals_takedowns:index"
OWNING_FORCE = "north-yorkshire-police"


def force(slug: str) -> PoliceForce:
    return PoliceForce.objects.get(slug=slug)


def partner_create(organisation: str, *, areas=(OWNING_FORCE,), webhook=True, **fields):
    partner = Partner.objects.create(
        organisation=organisation,
        email=f"{organisation.lower().replace(' ', '.')}@example.org",
        webhook_url="https://partner.example/hooks" if webhook else "",
        **fields,
    )
    partner.areas.set(PoliceForce.objects.filter(slug__in=areas))
    return partner


def takedown_create(*, published=True, closed_ago=timedelta(hours=2), slug=OWNING_FORCE):
    """A takedown whose steps have all run (its appeal purged since: the report's plainest
    row), closed ``closed_ago``."""
    closed_at = timezone.now() - closed_ago
    return AppealTakedown.objects.create(
        police_force=force(slug),
        outcome=AppealTakedown.Outcome.FOUND,
        missing_since=timezone.localdate() - timedelta(days=20),
        first_published_at=closed_at - timedelta(days=5) if published else None,
        closed_at=closed_at,
        completed_at=closed_at,
        steps={step: {"at": closed_at.isoformat()} for step in AppealTakedown.Step.values},
    )


def notice_create(partner, takedown, *, kind=PartnerNotice.Kind.WEBHOOK, **fields):
    return PartnerNotice.objects.create(
        partner=partner, takedown=takedown, kind=kind, body={"id": 1}, **fields
    )


def fetched(partner, at):
    key = partner.keys.first() or partner_key_create(partner=partner, name="Feed", user=None)[0]
    PartnerAccess.objects.create(partner=partner, key=key, at=at, endpoint="/api/", status=200)


def report_text(client, **query) -> str:
    response = client.get(reverse(REPORT), query)
    assert response.status_code == 200
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def publisher(client):
    user = factories.user_create(role=roles.PUBLISHERS)
    client.force_login(user)
    return user


def test_each_partner_told_waiting_failed_or_not_told_with_when_it_last_fetched(client, publisher):
    takedown = takedown_create()
    delivered_at = timezone.now() - timedelta(hours=1)
    told = partner_create("Told Gazette")
    notice_create(told, takedown, status="delivered", attempts=1, delivered_at=delivered_at)
    failed = partner_create("Failed Screens", all_of_uk=True, areas=())
    notice_create(failed, takedown, status="failed", attempts=5, last_error="HTTP 500 from them")
    waiting = partner_create("Waiting Radio")
    notice_create(waiting, takedown, attempts=2, last_error="Timed out")
    feed_only = partner_create("Feed Only Council", webhook=False)
    fetched(feed_only, timezone.now() - timedelta(minutes=30))
    stale = partner_create("Stale Feed Site", webhook=False)
    fetched(stale, takedown.closed_at - timedelta(days=1))
    printer = partner_create("Poster Printer", active=False, webhook=False)
    notice_create(
        printer,
        takedown,
        kind=PartnerNotice.Kind.POSTER_EMAIL,
        status="delivered",
        delivered_at=delivered_at,
    )
    partner_create("Elsewhere Paper", areas=("kent-police",))
    partner_create(
        "Briefings Network", public_appeals=False, briefings=True, vetted_on=timezone.localdate()
    )
    partner_create("Retired Paper", active=False)

    text = report_text(client)

    when = timezone.localtime(delivered_at).strftime("%-d %b %Y %H:%M")
    assert f"Told Gazette told Webhook delivered {when} Last fetched: never" in text
    assert "Failed Screens failed Webhook failed after 5 attempts: HTTP 500 from them" in text
    assert "Waiting Radio waiting Webhook to be tried again (2 attempts so far: Timed out)" in text
    assert (
        "Feed Only Council not told No webhook: its feed says the appeal was deleted; it has "
        "fetched since the takedown"
    ) in text
    fetched_at = timezone.localtime(feed_only.accesses.get().at).strftime("%-d %B %Y %H:%M")
    assert f"Last fetched: {fetched_at}" in text
    assert "Stale Feed Site not told" in text and "it has not fetched since the takedown" in text
    assert f"Poster Printer told Email about posters delivered {when}" in text  # inactive now
    # Partners that never held this public appeal: another force's, briefings only, inactive.
    for name in ["Elsewhere Paper", "Briefings Network", "Retired Paper"]:
        assert name not in text


def test_a_restricted_appeal_is_held_by_briefing_partners_only(client, publisher):
    takedown_create(published=False)
    partner_create("Public Gazette")
    partner_create(
        "Briefings Network",
        public_appeals=False,
        briefings=True,
        vetted_on=timezone.localdate(),
        webhook=False,
    )

    text = report_text(client)

    assert "Briefings Network not told" in text
    assert "Public Gazette" not in text


def test_partners_not_yet_told_while_the_step_is_pending(client, publisher):
    takedown = takedown_create()
    AppealTakedown.objects.filter(pk=takedown.pk).update(steps={}, completed_at=None)
    partner_create("Told Gazette")

    assert "Not told yet: the takedown has not reached partners" in report_text(client)


def test_a_real_closing_shows_its_appeal_and_partners(client, publisher, directory):
    appeal = factories.appeal_create(parent=directory, title="Quentin Marlowvale")
    partner_create("Feed Only Council", webhook=False)
    factories.appeal_closed(appeal)  # its takedown's jobs wait for a commit that never comes

    text = report_text(client)

    assert "Quentin Marlowvale" in text
    assert "Feed Only Council not told Not told yet" in text


def test_an_officer_sees_their_forces_takedown_without_partners(client):
    """Officers read their force's takedowns (appeals.view_appealtakedown) but not the
    partners (newsletter.view_partner): the report leaves the partners out."""
    takedown = takedown_create()
    notice_create(
        partner_create("Told Gazette"), takedown, status="delivered", delivered_at=timezone.now()
    )
    client.force_login(factories.user_create(role=roles.POLICE_OFFICERS, force_slug=OWNING_FORCE))

    text = report_text(client)

    assert "Found" in text  # the takedown itself
    assert "Told Gazette" not in text and "Last fetched" not in text


def test_the_report_needs_as_many_queries_for_many_takedowns_as_for_two(client, publisher):
    gazette = partner_create("Told Gazette")
    screens = partner_create("Failed Screens", all_of_uk=True, areas=())
    council = partner_create(
        "Feed Only Council", webhook=False, areas=(OWNING_FORCE, "kent-police")
    )
    fetched(council, timezone.now())

    def page_with(count: int) -> int:
        for n in range(count - AppealTakedown.objects.count()):
            takedown = takedown_create(slug="kent-police" if n % 2 else OWNING_FORCE)
            notice_create(gazette, takedown, status="delivered", delivered_at=timezone.now())
            notice_create(screens, takedown, status="failed", attempts=5, last_error="Refused")
        report_text(client)  # the first request of a session asks more (its user, its site)
        with CaptureQueriesContext(connection) as queries:
            text = report_text(client)
        assert text.count("Feed Only Council not told") == count
        return len(queries)

    assert page_with(2) == page_with(12)
