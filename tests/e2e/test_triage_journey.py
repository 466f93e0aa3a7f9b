"""A police officer signs in, claims the top sighting, records THRIVE and passes it on."""

import pytest
from playwright.sync_api import expect

from appeals.models import AppealIndexPage, AppealPage
from homeward import roles
from sightings.models import Sighting, ThriveAssessment
from tests import factories
from tests.e2e.conftest import sign_in
from tests.sightings.conftest import OWNING_FORCE
from tests.sightings.test_triage import THRIVE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_officer_claims_assesses_and_passes_on_the_top_sighting(
    browser, live_server, artifacts_dir
):
    officer = factories.user_create(
        role=roles.POLICE_OFFICERS,
        force_slug=OWNING_FORCE,
        username="officer",
        first_name="Constable",
        last_name="Fictional",
    )
    AppealIndexPage.objects.get()
    appeal = factories.appeal_create(title="Rowan Testbridge", risk_level=AppealPage.RiskLevel.HIGH)
    factories.sighting_create(appeal, location="By the library")
    top = factories.sighting_create(appeal, with_them_now=True, location="Platform 2, York station")

    page = sign_in(browser, live_server, officer)
    page.get_by_role("link", name="Sightings").click()
    rows = page.locator("table.listing tbody tr")
    expect(rows.first).to_contain_text(top.reference)
    expect(rows.first).to_contain_text("Urgent: with them now")
    page.screenshot(path=artifacts_dir / "triage-queue.png", full_page=True)

    page.get_by_role("button", name="Claim the next sighting").click()
    expect(page.get_by_text(f"You have claimed {top.reference}")).to_be_visible()
    expect(page.get_by_text("Platform 2, York station")).to_be_visible()

    for field, answer in THRIVE.items():
        if field == "risk_grade":
            page.locator("#id_risk_grade").select_option(answer)
        else:
            page.locator(f"#id_{field}").fill(answer)
    page.get_by_role("button", name="Record the assessment").click()
    expect(page.get_by_text("THRIVE assessment recorded.")).to_be_visible()
    page.get_by_role("button", name="Pass to the investigation").click()
    expect(page.get_by_text(f"{top.reference} is passed to the investigation.")).to_be_visible()
    page.screenshot(path=artifacts_dir / "triage-passed-on.png", full_page=True)

    top.refresh_from_db()
    assert top.status == Sighting.Status.PASSED_ON and top.claimed_by == officer
    assert ThriveAssessment.objects.get(sighting=top).risk_grade == "high"
