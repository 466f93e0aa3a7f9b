"""A police officer signs in, reaches the waiting urgent sighting from the dashboard in one
click, then claims the top sighting, records THRIVE and passes it on."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from appeals.models import AppealIndexPage, AppealPage
from homeward import roles
from sightings.models import Sighting, ThriveAssessment
from tests import factories
from tests.e2e.conftest import PHONE, sign_in
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
    received = timezone.now() - timedelta(minutes=11)
    Sighting.objects.filter(pk=top.pk).update(received_at=received, queue_rank=received)

    page = sign_in(browser, live_server, officer)
    # The dashboard says what waits, and for how long; one click reaches the sighting.
    panel = page.locator("#waiting-sightings-section")
    expect(panel).to_contain_text("1 urgent and 2 in all waiting to be claimed for your force")
    expect(panel.locator("tbody tr").first).to_contain_text(top.reference)
    expect(panel.locator("tbody tr").first).to_contain_text("11 min")
    page.screenshot(path=artifacts_dir / "triage-dashboard-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=artifacts_dir / "triage-dashboard-phone.png", full_page=True)
    panel.get_by_role("link", name=top.reference).click()
    expect(page.get_by_role("heading", name=f"Sighting {top.reference}")).to_be_visible()
    expect(page.get_by_text("Platform 2, York station")).to_be_visible()
    expect(page.get_by_role("button", name="Claim this sighting")).to_be_visible()
    page.screenshot(path=artifacts_dir / "triage-sighting-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Sightings", exact=True).first.click()
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
