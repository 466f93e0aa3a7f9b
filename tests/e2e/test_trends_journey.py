"""A council's designated manager signs in to what is theirs: the return home interview
their child is owed, their children's episodes, and the trends, whose charts work without
JavaScript and whose numbers are tables that a keyboard and a screen reader can read."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from appeals.models import EpisodeStatistic
from appeals.services import appeal_close
from homeward import roles
from homeward.models import PoliceForce
from tests import factories
from tests.e2e.accessibility import assert_no_axe_violations_within
from tests.e2e.conftest import PHONE, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_designated_manager_reads_their_childrens_trends(browser, live_server, artifacts_dir):
    council = factories.local_authority_create("Ours Borough Council")
    manager = factories.user_create(
        role=roles.LOCAL_AUTHORITY_MANAGERS, local_authority=council, username="manager"
    )
    child = factories.appeal_create(title="Returning Rowan", in_care=True, local_authority=council)
    appeal_close(appeal=child, user=factories.staff(roles.PUBLISHERS), outcome="found", reason="-")
    force = PoliceForce.objects.get(slug="kent-police")
    month = timezone.localdate().replace(day=1)
    for months_ago, count in [(1, 9), (2, 3)]:
        closed = (month - timedelta(days=28 * months_ago)).replace(day=1)
        for _ in range(count):
            EpisodeStatistic.objects.create(
                missing_month=closed,
                closed_month=closed,
                police_force=force,
                local_authority=council,
                age_band="15 to 17",
                trafficked=False,
                unaccompanied=True,
                in_care=True,
                risk_level="high",
                outcome="found",
                days_missing=2,
            )

    page = sign_in(browser, live_server, manager)
    # Their next task: the interview their child is owed.
    panel = page.locator("#appeals-next-steps-section")
    expect(panel).to_contain_text("Return home interviews due")
    expect(panel).to_contain_text("Returning Rowan")

    page.get_by_role("link", name="Our children").click()
    expect(page.get_by_role("heading", name="Our children's episodes")).to_be_visible()
    expect(page.get_by_role("row", name="Returning Rowan")).to_contain_text("Due by")

    page.get_by_role("link", name="Trends", exact=True).click()
    expect(page.get_by_role("heading", name="Trends", exact=True)).to_be_visible()
    expect(page.get_by_text("Publicised cases only.")).to_be_visible()
    # Each chart is drawn, and its numbers are a table with a name.
    expect(page.locator("#trends svg.homeward-chart").first).to_be_visible()
    by_month = page.get_by_role("table", name="Episodes closed, by month: episodes")
    expect(by_month).to_contain_text("9")
    expect(by_month).to_contain_text("fewer than 5")
    councils = page.get_by_role("table", name="By local authority: episodes")
    expect(councils.get_by_role("rowheader", name="Ours Borough Council")).to_be_visible()
    # The filters are reached and used by keyboard alone.
    page.get_by_label("Flag", exact=True).focus()
    page.keyboard.press("End")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # "Children only"
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show these figures")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/appeals/trends/?*")
    expect(page.get_by_label("Flag", exact=True)).to_have_value("in_care")
    assert_no_axe_violations_within(page, ["#trends"], state="the trends, filtered")
    page.screenshot(path=artifacts_dir / "trends-desktop.png", full_page=True)

    # On a phone; and without JavaScript the charts are there all the same (the server's
    # SVG), though Wagtail's own admin asks for it.
    for scripts in (True, False):
        phone = browser.new_context(
            viewport={**PHONE, "height": 2400},
            java_script_enabled=scripts,
            storage_state=page.context.storage_state(),
        ).new_page()
        phone.goto(page.url)
        expect(phone.locator("#trends svg.homeward-chart").first).to_be_visible()
        name = "phone" if scripts else "phone-no-javascript"
        phone.screenshot(path=artifacts_dir / f"trends-{name}.png")
        phone.context.close()
