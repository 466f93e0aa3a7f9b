"""A child missing again, in a browser: an editor links the new appeal to her earlier
episode from the editor; the owning force's officer, asked for a review on their
dashboard, records a lower level, first without the reason it needs. Our sections of each
page are checked with axe and kept as screenshots, on a phone too."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from appeals.models import AppealPage, PersonEpisode, RiskAssessment
from homeward import roles
from tests import factories
from tests.e2e.accessibility import assert_no_axe_violations_within
from tests.e2e.conftest import PHONE, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FORCE = "north-yorkshire-police"
OURS = ["main section"]
BORN = date(2012, 2, 29)


def test_an_editor_links_an_episode_and_the_police_review_the_risk(
    browser, live_server, artifacts_dir
):
    earlier = factories.appeal_create(
        title="Marigold Tessaly",
        date_of_birth=BORN,
        missing_since=timezone.localdate() - timedelta(days=120),
    )
    factories.appeal_closed(earlier)
    again = factories.appeal_create(
        title="Marigold Tessaly", date_of_birth=BORN, risk_level=AppealPage.RiskLevel.HIGH
    )
    editor = factories.user_create(role=roles.EDITORS, username="editor")

    page = sign_in(browser, live_server, editor)
    page.goto(f"{live_server.url}/admin/pages/{again.pk}/edit/")
    page.get_by_role("tab", name="Police and safeguarding").click()
    expect(page.get_by_text("No other episode is linked to this person.")).to_be_visible()
    page.get_by_role("link", name="Link or search their other episodes").click()
    suggestions = page.get_by_role("region", name="Appeals that may be the same person")
    expect(suggestions.get_by_role("rowheader", name="Marigold Tessaly")).to_be_visible()
    assert_no_axe_violations_within(page, OURS, state="the suggested episodes")
    suggestions.get_by_role("button", name="Same person: link Marigold Tessaly").click()
    expect(
        page.get_by_text("1 other episode of the same person, 1 with a public appeal")
    ).to_be_visible()
    assert PersonEpisode.objects.count() == 2
    page.screenshot(path=artifacts_dir / "episodes-linked.png", full_page=True)

    officer = factories.user_create(
        role=roles.POLICE_OFFICERS, force_slug=FORCE, username="officer"
    )
    RiskAssessment.objects.filter(appeal=again).update(
        assessed_at=timezone.now() - timedelta(hours=30)
    )
    page = sign_in(browser, live_server, officer)
    panel = page.locator("#appeals-next-steps-section")
    expect(panel).to_contain_text("Risk reviews due")
    panel.get_by_role("link", name="Marigold Tessaly", exact=False).click()
    page.get_by_label("Medium").check()
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text("Say why the risk has come down")).to_be_visible()
    assert_no_axe_violations_within(page, OURS, state="the review, refused")
    page.get_by_label("Why").fill("Fictional: seen safe and well with a trusted aunt today.")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text("Risk review recorded", exact=False)).to_be_visible()
    assert AppealPage.objects.get(pk=again.pk).risk_level == AppealPage.RiskLevel.MEDIUM

    phone = browser.new_context(
        viewport={**PHONE, "height": 2000}, storage_state=page.context.storage_state()
    ).new_page()
    phone.goto(f"{live_server.url}/admin/appeals/{again.pk}/risk-review/")
    expect(phone.get_by_role("heading", name="Risk history, newest first")).to_be_visible()
    phone.screenshot(path=artifacts_dir / "episodes-risk-review-phone.png")
    assert_no_axe_violations_within(phone, OURS, state="the risk review, on a phone")
    phone.context.close()
