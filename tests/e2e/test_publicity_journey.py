"""An editor drafts an appeal, a safeguarding lead checks it, a publisher approves: it is live."""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from appeals.models import AppealIndexPage, AppealPage
from homeward import roles
from tests import factories
from tests.e2e.conftest import DESKTOP, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def choose_image(page, title: str) -> None:
    """Wagtail's image chooser: its button works once the admin's scripts have started."""
    chosen = page.get_by_role("link", name=title)
    for _ in range(10):
        page.get_by_role("button", name="Choose an image").click()
        try:
            chosen.wait_for(timeout=2000)
            break
        except PlaywrightTimeout:
            continue
    chosen.click()
    expect(page.get_by_role("dialog")).to_be_hidden()


def dashboard_action(page, title: str, action: str) -> None:
    """Take a workflow action from the dashboard's "Awaiting your review" panel."""
    row = page.get_by_role("row").filter(has_text=title)
    row.get_by_role("button", name=re.compile("More options|Actions")).click()
    row.get_by_role("button", name=action, exact=True).click()


def staff(role: str, name: str):
    return factories.user_create(role=role, username=name, first_name=name.title())


def test_draft_check_approve_then_live(browser, live_server, artifacts_dir):
    editor = staff(roles.EDITORS, "editor")
    lead = staff(roles.SAFEGUARDING_LEADS, "lead")
    publisher = staff(roles.PUBLISHERS, "publisher")
    factories.image_create(title="Portrait of Tamsin", uploaded_by_user=editor)
    directory = AppealIndexPage.objects.get()

    # The editor drafts the appeal and submits it for checks.
    page = sign_in(browser, live_server, editor)
    page.goto(f"{live_server.url}/admin/pages/add/appeals/appealpage/{directory.pk}/")
    page.wait_for_load_state("networkidle")  # the admin's scripts wire up the choosers
    page.locator("#id_title").fill("Tamsin Wrexley")
    page.locator("#id_age_when_missing").fill("14")
    page.locator("#id_gender").select_option("female")
    page.locator("#id_missing_since").fill("2026-11-18")
    page.locator("#id_last_seen_area").fill("Harrogate")
    page.locator("#id_police_force").select_option(label="North Yorkshire Police")
    choose_image(page, "Portrait of Tamsin")
    page.locator("#id_photos-0-alt_text").fill("Tamsin smiling, with long dark hair")
    page.get_by_role("tab", name="Police and safeguarding").click()
    page.locator("#id_case_reference").fill("NY-2026-4471")
    page.locator("#id_police_risk_level").select_option("high")
    page.get_by_role("tab", name="Promote").click()
    page.locator("#id_slug").fill("tamsin-wrexley")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name=re.compile("Submit to Appeal publicity")).click()
    expect(page.get_by_text("created and submitted for moderation")).to_be_visible()
    appeal = AppealPage.objects.get(title="Tamsin Wrexley")
    assert not appeal.live
    page.close()

    # The safeguarding lead completes the checklist from the dashboard.
    page = sign_in(browser, live_server, lead)
    dashboard_action(page, "Tamsin Wrexley", "Complete the publicity safety check")
    page.wait_for_url(f"**/admin/appeals/{appeal.pk}/publicity-check/")
    expect(page.get_by_text("The version you are checking")).to_be_visible()
    page.locator("#id_authorising_officer").fill("DS Fictional Carrow")
    page.locator("#id_authorised_on").fill("2026-11-20")
    page.get_by_label("A parent or guardian").check()
    page.locator("#id_consent_given_by").fill("Her mother")
    page.get_by_label("Given", exact=True).check()
    page.locator("#id_risk_of_locating_0").check()
    page.locator("#id_risk_of_displacement_0").check()
    for item in [
        "no_immigration_status",
        "no_placement_or_address",
        "no_school_or_uniform",
        "suitable_photo",
        "suitable_wording",
    ]:
        page.locator(f"#id_{item}").check()
    page.get_by_label("Public appeal").check()
    page.screenshot(path=artifacts_dir / "publicity-checklist.png", full_page=True)
    page.get_by_role("button", name="Complete the check").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    expect(page.get_by_text("awaits a publisher's approval")).to_be_visible()
    page.close()

    # The publisher approves, which asks first; once confirmed the appeal goes live.
    page = sign_in(browser, live_server, publisher)
    dashboard_action(page, "Tamsin Wrexley", "Approve and publish…")
    confirm = page.get_by_role("dialog").get_by_role("button", name=re.compile("Approve"))
    expect(confirm).to_be_visible()
    appeal.refresh_from_db()
    assert not appeal.live  # asked, not yet answered
    confirm.click()
    # Publishing takes a while on a busy machine: the panel goes when the dashboard reloads.
    expect(page.get_by_text("Awaiting your review")).to_be_hidden(timeout=30_000)
    page.close()

    appeal.refresh_from_db()
    assert appeal.live
    public = browser.new_page(viewport=DESKTOP)
    public.goto(live_server.url + appeal.url)
    expect(public.locator("h1")).to_have_text("Tamsin Wrexley")
    public.screenshot(path=artifacts_dir / "publicity-journey-live.png", full_page=True)
    public.close()
