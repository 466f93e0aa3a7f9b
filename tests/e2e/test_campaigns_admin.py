"""A publisher finds the Heroes campaigns from the admin menu, pages through them, filters
them and opens one: the screens are Wagtail's own, so they are read as Wagtail's are."""

from datetime import timedelta

import pytest
from django.utils import timezone

from homeward import roles
from newsletter.models import Campaign, Delivery
from tests import factories
from tests.e2e.conftest import PHONE, sign_in
from tests.newsletter.conftest import hero_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def campaigns_create(appeal, heroes) -> None:
    for number in range(1, 26):
        campaign = Campaign.objects.create(
            kind="regular",
            period=f"2024-W{number:02}",
            subject=f"Missing in your area this week ({number})",
            status="sending" if number == 1 else "done",
            content={},
            html_template="",
            text_template="",
            created_at=timezone.now() - timedelta(days=7 * number),
        )
        for index, hero in enumerate(heroes):
            status = "queued" if number == 1 and index % 2 else "sent"
            Delivery.objects.create(campaign=campaign, hero=hero, status=status)
    Campaign.objects.create(
        kind="urgent",
        appeal=appeal,
        subject=f"Urgent: {appeal.title} is missing",
        status="done",
        content={},
        html_template="",
        text_template="",
    )


def test_the_campaigns_list(browser, live_server, artifacts_dir, directory):
    appeal = factories.appeal_create(parent=directory, title="Alys Fictional")
    force = appeal.police_force
    heroes = [hero_create(f"hero{n}@example.org", areas=[force]) for n in range(6)]
    campaigns_create(appeal, heroes)
    page = sign_in(browser, live_server, factories.user_create(role=roles.PUBLISHERS))

    page.get_by_role("button", name="Heroes emails").click()
    page.get_by_role("link", name="Campaigns").click()
    page.get_by_role("heading", name="Campaigns").wait_for()
    rows = page.locator("table.listing tbody tr")
    assert rows.count() == 20
    page.screenshot(path=artifacts_dir / "heroes-campaigns-desktop.png", full_page=True)

    page.get_by_role("link", name="Next").first.click()
    page.wait_for_url("**p=2**")
    assert rows.count() == 6

    page.goto(f"{live_server.url}/admin/heroes/campaigns/?kind=urgent")
    assert rows.count() == 1
    page.get_by_role("link", name=f"Urgent: {appeal.title} is missing").click()
    page.get_by_text("Urgent alert").first.wait_for()
    page.screenshot(path=artifacts_dir / "heroes-campaign-desktop.png", full_page=True)

    phone = browser.new_page(viewport=PHONE)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{live_server.url}/admin/heroes/campaigns/")
    phone.screenshot(path=artifacts_dir / "heroes-campaigns-phone.png", full_page=True)
