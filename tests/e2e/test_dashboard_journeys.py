"""Each role signs in to a dashboard that says what to do next, and one click (or one
Enter) reaches that task: the safeguarding lead's checklist, the publisher's approval
(which asks before it publishes), the officer's authorisation, the caseworker's sighting.

Every dashboard and landing page is photographed on a desktop and a phone, and checked
with axe; what axe finds in Wagtail's own admin is written to the artifacts folder, not
failed on, while anything it finds inside our dashboard panels fails the journey.
What the journeys found wrong is kept below as strict expected failures, each naming the
fault and where it is: fixing it turns the test into an unexpected pass."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from appeals.models import AppealPage, AppealTakedown, ReturnHomeInterview, SocialPost
from appeals.services import appeal_close
from homeward import roles
from homeward.models import PoliceForce
from sightings.models import Sighting
from tests import factories
from tests.e2e.accessibility import AXE, RULESETS
from tests.e2e.conftest import DESKTOP, PHONE, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FORCE = "north-yorkshire-police"
TALL = 1400
# Our own dashboard panels: axe's findings inside them are ours to fix.
INSIDE_OUR_PANELS = """target => {
  const element = document.querySelector(target);
  return Boolean(element && element.closest(
    "#appeals-next-steps-section, #publicity-clearances-section, #waiting-sightings-section"));
}"""


def evidence(browser, page, artifacts_dir, name: str) -> None:
    """A desktop and a phone screenshot of the page as it is, and axe's findings on it."""
    # The admin scrolls inside its own layout, so a full-page screenshot is only as tall
    # as the window: the windows photographed are tall enough for the whole page.
    page.set_viewport_size({**DESKTOP, "height": TALL})
    page.screenshot(path=artifacts_dir / f"dashboard-journeys-{name}-desktop.png")
    page.set_viewport_size(DESKTOP)
    # The same page opened afresh on a phone, as the admin lays it out there from the start.
    phone = browser.new_context(
        viewport={**PHONE, "height": TALL}, storage_state=page.context.storage_state()
    ).new_page()
    phone.goto(page.url)
    phone.wait_for_load_state("networkidle")
    phone.screenshot(path=artifacts_dir / f"dashboard-journeys-{name}-phone.png")
    phone.context.close()
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": RULESETS}}).response
    violations = results["violations"]
    with open(artifacts_dir / "dashboard-journeys-axe.txt", "a") as report:
        report.write(f"{name}: {len(results['passes'])} rules pass, {len(violations)} fail\n")
        for violation in violations:
            targets = [str(node["target"]) for node in violation["nodes"]]
            report.write(f"{name} {violation['id']} ({violation['impact']}): {targets}\n")
    ours = [
        f"{violation['id']}: {node['target']}"
        for violation in violations
        for node in violation["nodes"]
        if page.evaluate(INSIDE_OUR_PANELS, node["target"][-1])
    ]
    assert not ours, f"axe found problems in a dashboard panel on {name}: {ours}"


def next_steps(page):
    return page.locator("#appeals-next-steps-section")


def waiting_for(minutes: int, sighting: Sighting) -> None:
    received = timezone.now() - timedelta(minutes=minutes)
    Sighting.objects.filter(pk=sighting.pk).update(received_at=received, queue_rank=received)


def test_a_safeguarding_lead_reaches_the_waiting_check_in_one_click(
    browser, live_server, artifacts_dir
):
    lead = factories.user_create(role=roles.SAFEGUARDING_LEADS, username="lead")
    to_check = factories.appeal_create(publish=False, title="Unchecked Una")
    factories.workflow_start(to_check)
    ending = factories.appeal_create(title="Ending Edwina", check={"review_days": 1})

    page = sign_in(browser, live_server, lead)
    panel = next_steps(page)
    expect(panel).to_contain_text("Publicity safety checks waiting (1)")
    clearances = page.locator("#publicity-clearances-section")
    expect(clearances).to_contain_text("Ending Edwina")
    evidence(browser, page, artifacts_dir, "lead-dashboard")

    # A clearance ending opens where the lead may read it: the check's answers.
    clearances.get_by_role("link", name="Ending Edwina").click()
    expect(
        page.get_by_role("heading", name="Publicity safety check: Ending Edwina")
    ).to_be_visible()
    assert ending.publicity_checks.get().get_absolute_url() in page.url
    page.go_back()

    next_steps(page).get_by_role("link", name="Unchecked Una").click()
    page.wait_for_url(f"**/admin/appeals/{to_check.pk}/publicity-check/")
    expect(
        page.get_by_role("heading", name="Publicity safety check: Unchecked Una")
    ).to_be_visible()
    expect(page.get_by_text("The version you are checking")).to_be_visible()
    expect(page.get_by_role("button", name="Complete the check")).to_be_visible()
    evidence(browser, page, artifacts_dir, "lead-checklist")

    # In the editor, the check is the main button, not one of "More actions".
    page.goto(f"{live_server.url}/admin/pages/{to_check.pk}/edit/")
    main_button = page.locator("footer .w-dropdown-button > :first-child")
    expect(main_button).to_have_text("Complete the publicity safety check")
    evidence(browser, page, artifacts_dir, "lead-editor")
    main_button.click()
    page.wait_for_url(f"**/admin/appeals/{to_check.pk}/publicity-check/")


def test_a_publisher_reaches_the_approval_which_asks_before_it_publishes(
    browser, live_server, artifacts_dir
):
    publisher = factories.user_create(role=roles.PUBLISHERS, username="publisher")
    to_approve = factories.appeal_create(publish=False, title="Unapproved Ulrich")
    factories.publicity_check(to_approve)
    failing = factories.appeal_create(title="Failing Fenella")
    SocialPost.objects.create(appeal=failing, channel="x", status=SocialPost.Status.FAILED)
    closed = factories.appeal_create(title="Closed Cuthbert")
    takedown = appeal_close(
        appeal=closed, user=factories.staff(roles.PUBLISHERS), outcome="found", reason="Found."
    )
    AppealTakedown.objects.filter(pk=takedown.pk).update(completed_at=None)

    page = sign_in(browser, live_server, publisher)
    panel = next_steps(page)
    expect(panel).to_contain_text("Approvals waiting (1)")
    expect(panel).to_contain_text("Failed social posts (1)")
    expect(panel).to_contain_text("Takedowns still pending (1)")
    evidence(browser, page, artifacts_dir, "publisher-dashboard")

    panel.get_by_role("link", name="Unapproved Ulrich").click()
    page.wait_for_url(f"**/admin/pages/{to_approve.pk}/edit/")
    evidence(browser, page, artifacts_dir, "publisher-editor")

    # Approving is the publisher's main button, not under "More actions".
    approve = page.get_by_role("button", name="Approve and publish…")
    expect(approve).to_be_visible()
    approve.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    confirm = dialog.get_by_role("button", name=re.compile("Approve"))
    expect(confirm).to_be_visible()
    page.wait_for_timeout(500)  # the modal fades in
    page.screenshot(path=artifacts_dir / "dashboard-journeys-publisher-confirm-desktop.png")
    # Asked, not yet answered: nothing has gone live.
    assert not AppealPage.objects.get(pk=to_approve.pk).live

    confirm.click()
    # Publishing (photos copied to the public media, the fan-out queued) takes a while on
    # a busy machine: the dialog goes when the editor reloads.
    expect(page.get_by_role("dialog")).to_be_hidden(timeout=30_000)
    page.wait_for_load_state("networkidle")
    assert AppealPage.objects.get(pk=to_approve.pk).live


def test_an_officer_reaches_their_authorisation_by_keyboard(browser, live_server, artifacts_dir):
    officer = factories.user_create(
        role=roles.POLICE_OFFICERS, force_slug=FORCE, username="officer", first_name="Constable"
    )
    to_authorise = factories.appeal_create(publish=False, title="Unauthorised Ursula")
    live = factories.appeal_create(title="Live Lorcan")
    urgent = factories.sighting_create(live, with_them_now=True, location="Platform 2")
    waiting_for(23, urgent)

    page = sign_in(browser, live_server, officer)
    sightings = page.locator("#waiting-sightings-section")
    expect(sightings).to_contain_text("1 urgent and 1 in all waiting to be claimed for your force")
    expect(sightings.locator("tbody tr").first).to_contain_text("23 min")
    panel = next_steps(page)
    expect(panel).to_contain_text("Appeals waiting for your authorisation")
    evidence(browser, page, artifacts_dir, "officer-dashboard")

    # By keyboard: Tab until the appeal's link has the focus, then Enter.
    link = panel.get_by_role("link", name="Unauthorised Ursula")
    for _ in range(200):
        page.keyboard.press("Tab")
        if link.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the appeal waiting for authorisation")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/admin/appeals/{to_authorise.pk}/police-authorisation/")
    expect(
        page.get_by_role("heading", name="Authorise publicity: Unauthorised Ursula")
    ).to_be_visible()
    evidence(browser, page, artifacts_dir, "officer-authorisation")

    # "See them all": every open appeal of the force, where each stands, Close apart.
    page.go_back()
    next_steps(page).get_by_role("link", name="See them all").click()
    page.wait_for_url("**/admin/appeals/police-authorisation/")
    waiting = page.get_by_role("row").filter(has_text="Unauthorised Ursula")
    expect(waiting).to_contain_text("Draft: not yet sent for the safety check")
    expect(waiting).to_contain_text("Needs your authorisation")
    expect(page.get_by_role("row").filter(has_text="Live Lorcan")).to_contain_text(
        "Live on the public site"
    )
    cells = waiting.get_by_role("cell")
    authorise_cell = cells.filter(
        has=page.get_by_role("link", name=re.compile("Read and authorise"))
    )
    close_cell = cells.filter(has=page.get_by_role("link", name=re.compile("Close the appeal")))
    expect(authorise_cell).to_have_count(1)
    expect(close_cell).to_have_count(1)
    expect(close_cell).not_to_contain_text("Read and authorise")
    expect(close_cell.get_by_role("link")).not_to_have_class(re.compile("button"))
    evidence(browser, page, artifacts_dir, "officer-authorise-list")


def test_a_caseworker_reaches_the_most_urgent_sighting_across_forces(
    browser, live_server, artifacts_dir
):
    caseworker = factories.user_create(role=roles.CASEWORKERS, username="caseworker")
    north = factories.appeal_create(title="Northern Nell")
    kent = factories.appeal_create(
        title="Kentish Kit", police_force=PoliceForce.objects.get(slug="kent-police")
    )
    older = factories.sighting_create(north, location="By the library")
    waiting_for(90, older)
    urgent = factories.sighting_create(kent, with_them_now=True, location="Dover ferry port")
    waiting_for(7, urgent)

    page = sign_in(browser, live_server, caseworker)
    panel = page.locator("#waiting-sightings-section")
    expect(panel).to_contain_text("1 urgent and 2 in all waiting to be claimed, across every force")
    first, second = panel.locator("tbody tr").nth(0), panel.locator("tbody tr").nth(1)
    expect(first).to_contain_text(urgent.reference)
    expect(first).to_contain_text("Kent Police")
    expect(first).to_contain_text("Urgent: with them now")
    expect(second).to_contain_text(older.reference)
    expect(second).to_contain_text("North Yorkshire Police")
    evidence(browser, page, artifacts_dir, "caseworker-dashboard")

    panel.get_by_role("link", name=urgent.reference).click()
    expect(page.get_by_role("heading", name=f"Sighting {urgent.reference}")).to_be_visible()
    expect(page.get_by_text("Dover ferry port")).to_be_visible()
    evidence(browser, page, artifacts_dir, "caseworker-sighting")


def test_a_caseworker_reaches_an_overdue_return_home_interview_and_records_it(
    browser, live_server, artifacts_dir
):
    caseworker = factories.user_create(role=roles.CASEWORKERS, username="caseworker")
    appeal = factories.appeal_create(title="Returning Romilly", age_when_missing=13)
    publisher = factories.user_create(role=roles.PUBLISHERS)
    appeal_close(appeal=appeal, user=publisher, outcome="found", reason="Found.")
    found = timezone.now() - timedelta(hours=80)
    ReturnHomeInterview.objects.update(found_at=found, due_by=found + timedelta(hours=72))

    page = sign_in(browser, live_server, caseworker)
    listing = next_steps(page)
    expect(listing).to_contain_text("Return home interviews due (72 hours)")
    evidence(browser, page, artifacts_dir, "caseworker-return-home-dashboard")
    listing.get_by_role("link", name=re.compile("Returning Romilly: overdue")).click()
    page.get_by_label("A charity the local authority commissions").check()
    page.get_by_label("Organisation").fill("Fictional Children's Charity")
    page.get_by_label("Offered at").fill(
        timezone.localtime(found + timedelta(hours=30)).strftime("%Y-%m-%dT%H:%M")
    )
    evidence(browser, page, artifacts_dir, "caseworker-return-home-form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Recorded.")).to_be_visible()
    interview = ReturnHomeInterview.objects.get()
    assert interview.offered_by == "charity" and interview.offered_at is not None


def test_a_failed_post_is_named_by_its_channel(client):
    appeal = factories.appeal_create(title="Failing Fenella")
    SocialPost.objects.create(appeal=appeal, channel="x", status=SocialPost.Status.FAILED)
    client.force_login(factories.user_create(role=roles.PUBLISHERS))
    home = client.get("/admin/").content.decode()
    assert "Failing Fenella: X (Twitter)" in home


def test_on_a_phone_an_officer_can_reach_authorising_and_closing(browser, live_server):
    officer = factories.user_create(role=roles.POLICE_OFFICERS, force_slug=FORCE)
    factories.appeal_create(publish=False, title="Unauthorised Ursula")
    desktop = sign_in(browser, live_server, officer)
    page = browser.new_context(
        viewport=PHONE, storage_state=desktop.context.storage_state()
    ).new_page()
    page.goto(f"{live_server.url}/admin/appeals/police-authorisation/")
    for name in ["Read and authorise", "Close the appeal"]:
        link = page.get_by_role("link", name=re.compile(name))
        box = link.bounding_box()
        # On the screen, or inside something that scrolls sideways.
        scrolls = link.evaluate(
            """element => {
              for (let box = element.parentElement; box; box = box.parentElement) {
                if (["auto", "scroll"].includes(getComputedStyle(box).overflowX)) return true;
              }
              return false;
            }"""
        )
        assert box["x"] + box["width"] <= PHONE["width"] or scrolls, name


def test_on_a_phone_the_checklist_fits_the_screen(browser, live_server):
    lead = factories.user_create(role=roles.SAFEGUARDING_LEADS)
    to_check = factories.appeal_create(publish=False, title="Unchecked Una")
    factories.workflow_start(to_check)
    desktop = sign_in(browser, live_server, lead)
    page = browser.new_context(
        viewport=PHONE, storage_state=desktop.context.storage_state()
    ).new_page()
    page.goto(f"{live_server.url}/admin/appeals/{to_check.pk}/publicity-check/")
    # Wagtail's header shortens a long title itself: the page's own content is what counts.
    beyond = page.evaluate(
        """width => [...document.querySelectorAll("main .w-grid *")]
          .filter(element => element.getBoundingClientRect().right > width + 1
            && ![...element.children].some(child => child.getBoundingClientRect().right > width + 1)
            && !element.closest(".w-sr-only"))
          .slice(0, 5)
          .map(element => `${element.tagName} "${element.textContent.trim().slice(0, 30)}"`)""",
        PHONE["width"],
    )
    assert not beyond, f"cut off at the right edge: {beyond}"
