"""Across police lines in a browser: a North Yorkshire officer passes a sighting seen in
Leeds to West Yorkshire Police; a West Yorkshire officer signs in, finds it in their queue
marked as passed to them, opens it and adds a note. Our sections of each page are checked
with axe (what axe finds in Wagtail's own admin frame is not ours to fail on) and kept as
screenshots."""

import pytest
from playwright.sync_api import expect

from homeward import roles
from homeward.models import PoliceForce
from sightings.models import SightingHandOff, SightingNote
from tests import factories
from tests.e2e.accessibility import assert_no_axe_violations_within
from tests.e2e.conftest import DESKTOP, PHONE, sign_in
from tests.sightings.conftest import OWNING_FORCE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RECEIVING_FORCE = "west-yorkshire-police"
# The sighting page's own sections, and the queue's table: ours to keep accessible.
OURS = ["main section", "table.listing"]
TALL = 2000


def test_an_officer_passes_a_sighting_to_another_force_which_reads_it_and_adds_a_note(
    browser, live_server, artifacts_dir
):
    owning = factories.user_create(
        role=roles.POLICE_OFFICERS,
        force_slug=OWNING_FORCE,
        username="nyp-officer",
        first_name="Constable",
        last_name="Northallerton",
    )
    receiving = factories.user_create(
        role=roles.POLICE_OFFICERS,
        force_slug=RECEIVING_FORCE,
        username="wyp-officer",
        first_name="Constable",
        last_name="Headingley",
    )
    appeal = factories.appeal_create(title="Rowan Testbridge")
    sighting = factories.sighting_create(appeal, location="Briggate, Leeds, by the arcade")

    page = sign_in(browser, live_server, owning)
    page.goto(f"{live_server.url}/admin/sightings/{sighting.public_id}/")
    form = page.locator("form", has=page.get_by_role("button", name="Pass to this force"))
    form.get_by_label("Pass it to").select_option(label="West Yorkshire Police")
    form.get_by_label("Why").fill("Seen in Leeds: West Yorkshire's ground.")
    assert_no_axe_violations_within(page, OURS, state="the owning officer's sighting page")
    page.screenshot(path=artifacts_dir / "hand-off-form.png", full_page=True)
    form.get_by_role("button", name="Pass to this force").click()
    expect(
        page.get_by_text(f"{sighting.reference} is passed to West Yorkshire Police.")
    ).to_be_visible()
    passed_list = page.locator(
        "section", has=page.get_by_role("heading", name="Passed to other forces")
    )
    expect(passed_list).to_contain_text("To West Yorkshire Police, by Constable Northallerton")
    page.screenshot(path=artifacts_dir / "hand-off-passed.png", full_page=True)
    page.context.close()

    page = sign_in(browser, live_server, receiving)
    page.get_by_role("link", name="Sightings", exact=True).first.click()
    row = page.locator("table.listing tbody tr", has_text=sighting.reference)
    expect(row).to_contain_text("Passed to you by North Yorkshire Police")
    expect(page.get_by_role("button", name="Claim the next sighting")).to_be_visible()
    assert_no_axe_violations_within(page, OURS, state="the receiving officer's queue")
    page.screenshot(path=artifacts_dir / "hand-off-queue.png", full_page=True)

    row.get_by_role("link", name=sighting.reference).click()
    expect(page.get_by_role("heading", name=f"Sighting {sighting.reference}")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Passed to your force by North Yorkshire Police")
    ).to_be_visible()
    expect(page.get_by_text("Briggate, Leeds, by the arcade")).to_be_visible()
    expect(page.get_by_role("button", name="Claim this sighting")).to_have_count(0)
    expect(page.get_by_role("button", name="Pass to this force")).to_have_count(0)
    assert_no_axe_violations_within(page, OURS, state="the receiving officer's sighting page")

    page.get_by_label("Add a note").fill("Leeds city centre patrol told; CCTV requested.")
    page.get_by_role("button", name="Add the note").click()
    expect(page.get_by_text("Note added.")).to_be_visible()
    expect(page.get_by_text("Leeds city centre patrol told; CCTV requested.")).to_be_visible()
    # The admin scrolls inside its own layout: a tall window holds the whole page.
    page.set_viewport_size({**DESKTOP, "height": TALL})
    page.screenshot(path=artifacts_dir / "hand-off-received-desktop.png")
    # The same page opened afresh on a phone, as the admin lays it out there from the start.
    phone = browser.new_context(
        viewport={**PHONE, "height": TALL}, storage_state=page.context.storage_state()
    ).new_page()
    phone.goto(page.url)
    expect(phone.get_by_text("Leeds city centre patrol told; CCTV requested.")).to_be_attached()
    phone.screenshot(path=artifacts_dir / "hand-off-received-phone.png")
    assert_no_axe_violations_within(
        phone, OURS, state="the receiving officer's sighting, on a phone"
    )

    passed = SightingHandOff.objects.get()
    assert passed.to_force == PoliceForce.objects.get(slug=RECEIVING_FORCE)
    assert SightingNote.objects.get(sighting=sighting).author == receiving
