"""Reporting a sighting in a browser: on a phone, on a desktop by keyboard alone, and
without JavaScript. Every state (the form, its errors, a refusal, the receipt) is checked
by axe and kept as a screenshot."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sightings.models import Sighting
from tests import factories
from tests.e2e.accessibility import (
    assert_no_axe_violations,
    assert_no_axe_violations_without_scripts,
)
from tests.e2e.conftest import DESKTOP, HUMAN_PAUSE_MS, PHONE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def fits_the_screen(page, viewport) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]


def fill_the_date(page, day) -> None:
    page.get_by_role("group", name="When did you see them?").get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))


def test_report_a_sighting_with_a_photo_and_details_on_a_phone(
    browser, live_server, artifacts_dir, tmp_path
):
    appeal = factories.appeal_create(title="Philippa Marchetti", last_seen_area="Ripon")
    photo = tmp_path / "IMG_2001.jpg"
    photo.write_bytes(factories.image_bytes(size=(300, 400)))

    page = browser.new_page(viewport=PHONE)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Philippa Marchetti").first.click()
    expect(page.locator("h1")).to_have_text("Philippa Marchetti")
    page.goto(f"{live_server.url}/sightings/report/{appeal.pk}/")
    expect(page.locator("h1")).to_have_text("Report a sighting of Philippa Marchetti")

    # Nothing chosen for them; the contact details wait under "Yes".
    yes = page.get_by_label("Yes, the police may contact me")
    no = page.get_by_label("No, I want to stay anonymous")
    expect(yes).not_to_be_checked()
    expect(no).not_to_be_checked()
    expect(page.get_by_label("Your name")).to_be_hidden()
    expect(yes).to_have_attribute("aria-controls", "contact-details")
    assert_no_axe_violations(page, state="sighting form, phone")
    assert fits_the_screen(page, PHONE)
    page.screenshot(path=artifacts_dir / "sighting-form-phone.png", full_page=True)

    page.wait_for_timeout(HUMAN_PAUSE_MS)
    page.get_by_role("button", name="Send the sighting").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There is a problem")
    for message in [
        "Enter the date you saw them",
        "Enter where you saw them",
        "Tell us what you saw",
        "Choose whether the police may contact you",
    ]:
        expect(summary.get_by_role("link", name=message)).to_be_visible()
    assert page.title().startswith("Error:")
    assert_no_axe_violations(page, state="sighting form with errors, phone")
    assert fits_the_screen(page, PHONE)
    page.screenshot(path=artifacts_dir / "sighting-errors-phone.png", full_page=True)
    summary.get_by_role("link", name="Enter the date you saw them").click()
    expect(page.locator("#id_seen_on_day")).to_be_focused()

    fill_the_date(page, timezone.localdate() - timedelta(days=1))
    page.get_by_label("What time did you see them?").fill("17:45")
    page.get_by_label("Where did you see them?").fill("Ripon market square, by the fountain")
    page.get_by_label("What did you see?").fill("A teenage girl like the photo, waiting alone.")
    page.get_by_label("A photo").set_input_files(photo)
    yes.check()
    expect(page.locator("#contact-details")).to_be_visible()
    name, phone, email = (
        page.get_by_label("Your name"),
        page.get_by_label("Phone number"),
        page.get_by_label("Email address"),
    )
    for field, kind, autocomplete in [(name, "text", "name"), (phone, "tel", "tel")]:
        expect(field).to_have_attribute("type", kind)
        expect(field).to_have_attribute("autocomplete", autocomplete)
    expect(email).to_have_attribute("type", "email")
    expect(email).to_have_attribute("autocomplete", "email")
    expect(email).to_have_attribute("spellcheck", "false")
    name.fill("Fictional Witness")
    phone.fill("07700 900982")
    page.screenshot(path=artifacts_dir / "sighting-contact-revealed-phone.png", full_page=True)
    page.wait_for_timeout(HUMAN_PAUSE_MS)
    page.get_by_role("button", name="Send the sighting").click()

    expect(page.locator("h1")).to_have_text("Sighting sent")
    sighting = Sighting.objects.get()
    expect(page.locator(".reference")).to_have_text(sighting.reference)
    assert sighting.appeal == appeal and sighting.photo
    assert not sighting.anonymous and sighting.consent_to_contact
    assert (sighting.reporter_name, sighting.reporter_phone) == (
        "Fictional Witness",
        "07700 900982",
    )
    main = page.locator("main")
    expect(main).to_contain_text("North Yorkshire Police reads every sighting")
    expect(main).to_contain_text("The police may contact you")
    expect(
        page.get_by_role("link", name="Back to the appeal for Philippa Marchetti")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Share this appeal")).to_be_visible()
    assert_no_axe_violations(page, state="sighting receipt, phone")
    assert fits_the_screen(page, PHONE)
    page.screenshot(path=artifacts_dir / "sighting-receipt-phone.png", full_page=True)
    page.close()


def test_a_refused_report_keeps_every_answer_and_an_urgent_one_still_goes_through(
    browser, live_server, artifacts_dir, settings
):
    """One mobile carrier's address may serve thousands: when it has sent its share, a
    report is refused with every answer kept and the reason read out first, and one
    marked "with them now" is never refused."""
    settings.SIGHTING_RATE_LIMIT = (0, 600)
    appeal = factories.appeal_create(title="Rosalind Featherstonehaugh", last_seen_area="Selby")

    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/sightings/report/{appeal.pk}/")
    seen_on = timezone.localdate() - timedelta(days=1)
    fill_the_date(page, seen_on)
    page.get_by_label("Where did you see them?").fill("Selby Abbey, the north door")
    page.get_by_label("What did you see?").fill("A girl like the photo, sitting on the steps.")
    page.get_by_label("No, I want to stay anonymous").check()
    page.wait_for_timeout(HUMAN_PAUSE_MS)
    page.get_by_role("button", name="Send the sighting").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()  # read out first, with no script needed
    expect(summary).to_contain_text("If you are with them now, tick that box")
    assert page.title().startswith("Error:")
    expect(page.get_by_label("Day")).to_have_value(str(seen_on.day))
    expect(page.get_by_label("Year")).to_have_value(str(seen_on.year))
    expect(page.get_by_label("Where did you see them?")).to_have_value(
        "Selby Abbey, the north door"
    )
    expect(page.get_by_label("No, I want to stay anonymous")).to_be_checked()
    assert_no_axe_violations(page, state="sighting refused (rate limit), phone")
    assert fits_the_screen(page, PHONE)
    page.screenshot(path=artifacts_dir / "sighting-refused-phone.png", full_page=True)
    assert not Sighting.objects.exists()

    page.get_by_label("I am with them now, or I can see them now").check()
    page.wait_for_timeout(HUMAN_PAUSE_MS)
    page.get_by_role("button", name="Send the sighting").click()
    expect(page.locator("h1")).to_have_text("Sighting sent")
    assert Sighting.objects.get().with_them_now
    page.close()


def test_a_keyboard_alone_reaches_and_answers_every_question_on_a_desktop(
    browser, live_server, artifacts_dir
):
    appeal = factories.appeal_create(title="Wilhelmina Oakenshaw")
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{live_server.url}/sightings/report/{appeal.pk}/")
    page.locator("h1").click()  # start from the page, as someone tabbing in from the top

    def tab_to(element_id: str = "", *, selector: str = "", limit: int = 60) -> None:
        selector = selector or f"#{element_id}"
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    def focus_ring(element_id: str) -> dict:
        return page.evaluate(
            """(id) => { const s = getComputedStyle(document.getElementById(id));
                return {outline: s.outlineStyle, width: s.outlineWidth, colour: s.outlineColor,
                        shadow: s.boxShadow}; }""",
            element_id,
        )

    seen_on = timezone.localdate() - timedelta(days=2)
    tab_to("id_with_them_now")
    ring = focus_ring("id_with_them_now")  # a black ring, visible against white
    assert ring["outline"] == "solid" and ring["colour"] == "rgb(11, 12, 12)", ring
    for box, value in [("day", seen_on.day), ("month", seen_on.month), ("year", seen_on.year)]:
        tab_to(f"id_seen_on_{box}")
        page.keyboard.type(str(value))
    tab_to("id_location")
    page.keyboard.type("The towpath under the railway bridge")
    tab_to("id_description")
    assert focus_ring("id_description")["outline"] == "solid"  # textareas show focus too
    page.keyboard.type("Someone like the photo, walking a bicycle.")
    tab_to("id_identity_0")
    page.keyboard.press("Space")  # No, I want to stay anonymous
    expect(page.get_by_label("No, I want to stay anonymous")).to_be_checked()
    expect(page.get_by_label("Your name")).to_be_hidden()  # nothing to tab through
    page.screenshot(path=artifacts_dir / "sighting-keyboard-desktop.png", full_page=True)
    page.wait_for_timeout(HUMAN_PAUSE_MS)
    tab_to(selector="button[type=submit]", limit=3)
    page.keyboard.press("Enter")

    expect(page.locator("h1")).to_have_text("Sighting sent")
    sighting = Sighting.objects.get()
    assert sighting.anonymous and sighting.location == "The towpath under the railway bridge"
    assert timezone.localtime(sighting.seen_at).date() == seen_on
    expect(page.locator("main")).to_contain_text("will not contact you")
    assert_no_axe_violations(page, state="sighting receipt, desktop")
    page.screenshot(path=artifacts_dir / "sighting-receipt-desktop.png", full_page=True)
    page.close()


def test_without_javascript_details_typed_with_anonymous_are_asked_about_not_lost(
    browser, live_server, artifacts_dir
):
    appeal = factories.appeal_create(title="Bartholomew Quayle")
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/sightings/report/{appeal.pk}/")

    # The contact details show under the question, saying when to answer them.
    expect(page.get_by_text("If you chose yes: how can the police reach you?")).to_be_visible()
    expect(page.get_by_label("Your name")).to_be_visible()
    expect(page.get_by_role("button", name="Add my current location")).to_be_hidden()
    assert_no_axe_violations_without_scripts(
        browser, page, state="sighting form without JavaScript, phone"
    )
    page.screenshot(path=artifacts_dir / "sighting-form-no-js-phone.png", full_page=True)

    fill_the_date(page, timezone.localdate())
    page.get_by_label("Where did you see them?").fill("Platform 2, Thirsk station")
    page.get_by_label("What did you see?").fill("A boy like the photo, boarding a train.")
    page.get_by_label("No, I want to stay anonymous").check()
    page.get_by_label("Email address").fill("witness@example.invalid")
    page.wait_for_timeout(HUMAN_PAUSE_MS)
    page.get_by_role("button", name="Send the sighting").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("You chose to stay anonymous but gave your name, phone or")
    expect(page.get_by_label("Email address")).to_have_value("witness@example.invalid")
    assert not Sighting.objects.exists()
    assert_no_axe_violations_without_scripts(
        browser, page, state="sighting details with anonymous, no JavaScript"
    )
    page.screenshot(
        path=artifacts_dir / "sighting-anonymous-with-details-phone.png", full_page=True
    )

    summary.get_by_role("link").first.click()
    page.get_by_label("Yes, the police may contact me").check()
    page.wait_for_timeout(HUMAN_PAUSE_MS)
    page.get_by_role("button", name="Send the sighting").click()
    expect(page.locator("h1")).to_have_text("Sighting sent")
    sighting = Sighting.objects.get()
    assert not sighting.anonymous and sighting.reporter_email == "witness@example.invalid"
    assert_no_axe_violations_without_scripts(
        browser, page, state="sighting receipt without JavaScript"
    )
    context.close()
