"""Every language in Chromium on a phone, page by page and state by state (the home page,
an appeal, the sighting form's errors and receipt, the Heroes' sign-up, an ended appeal):
the right lang and dir, axe, and each language's name in its own script drawn by a real
font, not empty boxes (this machine has no
Ethiopic font, as many phones have none). A screenshot per language is kept. And a
Pashto-speaking witness's whole journey, on a phone without JavaScript."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from homeward.languages import ALL_LANGUAGES, NAMES_IN_THEMSELVES, language_path
from homeward.widgets import PARTS
from sightings.models import Sighting
from tests import factories
from tests.e2e.accessibility import (
    assert_no_axe_violations,
    assert_no_axe_violations_without_scripts,
)
from tests.e2e.conftest import HUMAN_PAUSE_MS, PHONE
from tests.languages import PERSIAN_DIGITS, RTL

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The font each script needs where the system may have none (site/static/homeward/fonts).
SCRIPT_FONTS = {"ti": "Noto Sans Ethiopic", **dict.fromkeys(RTL, "Noto Sans Arabic")}


def fonts_drawing(page, selector: str) -> set[str]:
    """The fonts Chromium drew the element's text with."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {font["familyName"] for font in fonts}


def visit(page, url: str, status: int, code: str, state: str, artifacts_dir) -> None:
    """A page in a language: its status, lang and dir, axe, and a screenshot kept."""
    response = page.goto(url)
    assert response.status == status, (code, state)
    check_language_and_axe(page, code, state, artifacts_dir)


def check_language_and_axe(page, code: str, state: str, artifacts_dir) -> None:
    page.evaluate("document.fonts.ready.then(() => true)")
    html = page.locator("html")
    assert html.get_attribute("lang") == code, state
    assert html.get_attribute("dir") == ("rtl" if code in RTL else "ltr"), state
    assert_no_axe_violations(page, state=f"{state} in {code}")
    page.screenshot(path=artifacts_dir / f"language-{code}-{state}.png", full_page=True)


def report_a_sighting(page, code: str, artifacts_dir) -> None:
    """Send the form empty (errors), then filled in (the receipt), in this language."""
    page.locator("form.sighting-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_focused()
    check_language_and_axe(page, code, "sighting-errors", artifacts_dir)
    seen = timezone.localdate()
    for part, value in zip(PARTS, [seen.day, seen.month, seen.year], strict=True):
        page.locator(f'[name="seen_on_{part}"]').fill(str(value))
    page.locator('input[name="location"]').fill("Near the station")
    page.locator('textarea[name="description"]').fill("Sighting in a test of every language.")
    page.locator('[name="identity"][value="anonymous"]').check()
    page.wait_for_timeout(HUMAN_PAUSE_MS)
    page.locator("form.sighting-form button[type=submit]").click()
    expect(page.locator(".panel-confirmation .reference")).to_be_visible()
    check_language_and_axe(page, code, "sighting-receipt", artifacts_dir)


@override_settings(LANGUAGES=ALL_LANGUAGES)
def test_every_language_on_a_phone(
    browser, live_server, artifacts_dir, directory, django_capture_on_commit_callbacks
):
    """The home page, an appeal, the sighting form's errors and receipt, the Heroes'
    sign-up and an ended appeal, in each language."""
    appeal = factories.appeal_create(title="Polyglot Perpetua")
    closed = factories.appeal_create(title="Homebound Hesper")
    factories.appeal_found(closed, capture=django_capture_on_commit_callbacks)
    page = browser.new_page(viewport=PHONE)
    for code, _ in ALL_LANGUAGES:
        for state, path, status in [
            ("home", "/", 200),
            ("heroes-sign-up", reverse("hero-sign-up"), 200),
            ("appeal-gone", closed.url, 410),
            ("sighting-form", reverse("sighting-report", args=[appeal.pk]), 200),
        ]:
            visit(
                page,
                live_server.url + language_path(path, code),
                status,
                code,
                state,
                artifacts_dir,
            )
        report_a_sighting(page, code, artifacts_dir)
        assert Sighting.objects.filter(language=code).count() == 1
        visit(
            page,
            live_server.url + language_path(appeal.url, code),
            200,
            code,
            "appeal",
            artifacts_dir,
        )
        # Each language's name, in the switcher of this page, in a font that has it.
        for other, font in SCRIPT_FONTS.items():
            selector = f'.language-switcher [lang="{other}"]'
            assert page.locator(selector).inner_text() == NAMES_IN_THEMSELVES[other]
            assert font in fonts_drawing(page, selector), (code, other)
        if code in SCRIPT_FONTS:
            assert SCRIPT_FONTS[code] in fonts_drawing(page, ".site-nav a"), code


@override_settings(LANGUAGES=ALL_LANGUAGES)
def test_a_pashto_witness_on_a_phone_without_javascript(browser, live_server, artifacts_dir):
    """Read the appeal, report a sighting (with a mistake first) and get the receipt, in
    Pashto, right to left, with no script at all."""
    appeal = factories.appeal_create(title="Zarmina Kakar", last_seen_area="Bradford")
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + language_path(appeal.url, "ps"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("Zarmina Kakar")
    assert_no_axe_violations_without_scripts(browser, page, state="appeal in Pashto")
    page.screenshot(path=artifacts_dir / "pashto-appeal-phone-no-js.png", full_page=True)

    page.get_by_role("link", name="فورمه په جلا پاڼه کې پرانیزئ").click()  # its own page
    page.get_by_label("چېرته مو ولید؟").fill("د ریل تمځای ته نږدې")  # where
    page.wait_for_timeout(HUMAN_PAUSE_MS)
    page.get_by_role("button", name="راپور ولېږئ").click()  # send
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("یوه ستونزه شته")  # "There is a problem"
    expect(summary).to_contain_text("موږ ته ووایاست چې څه مو ولیدل")  # "Tell us what you saw"
    assert not Sighting.objects.exists()
    assert_no_axe_violations_without_scripts(browser, page, state="errors in Pashto")
    page.screenshot(path=artifacts_dir / "pashto-sighting-errors-phone.png", full_page=True)

    seen = timezone.localdate()
    dates = page.get_by_role("group", name="کله مو ولید؟")  # when
    dates.get_by_label("ورځ").fill(str(seen.day).translate(PERSIAN_DIGITS))
    dates.get_by_label("میاشت").fill(str(seen.month).translate(PERSIAN_DIGITS))
    dates.get_by_label("کال").fill(str(seen.year).translate(PERSIAN_DIGITS))
    page.get_by_label("څه مو ولیدل؟").fill("یوه نجلۍ چې د انځور په څېر وه.")  # what
    page.get_by_label("نه، غواړم نوم مې پټ پاتې شي").check()  # anonymous
    page.wait_for_timeout(HUMAN_PAUSE_MS)
    page.get_by_role("button", name="راپور ولېږئ").click()
    expect(page.locator("h1")).to_have_text("راپور ولېږل شو")  # "Sighting sent"
    assert_no_axe_violations_without_scripts(browser, page, state="receipt in Pashto")
    page.screenshot(path=artifacts_dir / "pashto-receipt-phone-no-js.png", full_page=True)
    sighting = Sighting.objects.get()
    assert sighting.language == "ps" and sighting.anonymous
    assert sighting.seen_at.date() == seen
    context.close()
