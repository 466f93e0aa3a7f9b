"""The appeal page's first screen, sharing, printing and the poster: on a phone with
JavaScript, and on a desktop without it, by keyboard only."""

import re
import shutil
import subprocess
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from appeals.models import AppealShortLink
from homeward.links import absolute_url
from tests import factories
from tests.e2e.accessibility import assert_no_axe_violations
from tests.e2e.conftest import DESKTOP, PHONE
from tests.pdf import pdf_read, pdf_text

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NAME = "Philomena Ashcroft-Oyelaran"
# A browser with the phone's share sheet (headless chromium has none): records the share.
FAKE_SHARE_SHEET = """
navigator.share = (data) => { window.sharedWith = data; return Promise.resolve(); };
"""


def appeal_create():
    return factories.appeal_create(
        title=NAME,
        photos=2,
        last_seen_area="Northallerton",
        height_cm=160,
        hair="Shoulder-length brown hair",
        clothing="A red puffer jacket, black leggings and white trainers",
        distinguishing_features="A small scar above her right eyebrow",
        message="Philomena, you are not in trouble. Please call us.",
    )


def test_on_a_phone_every_action_is_on_the_first_screen_and_the_poster_prints(
    browser, live_server, artifacts_dir
):
    appeal = appeal_create()
    context = browser.new_context(viewport=PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    context.add_init_script(FAKE_SHARE_SHEET)
    page = context.new_page()
    page.goto(live_server.url + appeal.url)

    report = page.get_by_role("link", name=f"Seen {NAME}? Report a sighting")
    call_999 = page.get_by_role("link", name="With them now? Call 999")
    for action in [report, call_999]:
        box = action.bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"], action
    expect(call_999).to_have_attribute("href", "tel:999")
    expect(page.get_by_role("link", name="Call 116 000")).to_have_attribute("href", "tel:116000")
    expect(page.get_by_role("link", name="Text 116 000")).to_have_attribute("href", "sms:116000")
    expect(page.get_by_role("link", name="Share on WhatsApp")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=artifacts_dir / "appeal-page-phone-first-screen.png")
    page.screenshot(path=artifacts_dir / "appeal-page-phone.png", full_page=True)
    assert_no_axe_violations(page, state="the appeal page on a phone")

    # The phone's own share sheet, with the appeal's address.
    page.get_by_role("button", name="Share…").click()
    assert page.evaluate("() => window.sharedWith.url") == absolute_url(appeal.url)
    # Copying the link, by keyboard; the confirmation is read out (a polite live region).
    page.get_by_role("button", name="Copy link").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text(
        "Link copied. Paste it into a message or a post."
    )
    assert page.evaluate("() => navigator.clipboard.readText()") == absolute_url(appeal.url)
    page.screenshot(path=artifacts_dir / "appeal-page-phone-link-copied.png")

    # Printing the page: one clean sheet, without the form, with 999, 116 000 and the short link.
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dots an inch
    page.emulate_media(media="print")
    expect(page.locator("#report")).to_be_hidden()
    short_link = AppealShortLink.objects.get(appeal=appeal)
    expect(page.locator(".appeal__print-help")).to_contain_text(short_link.address)
    page.screenshot(path=artifacts_dir / "appeal-page-print.png", full_page=True)
    printed = page.pdf(format="A4")
    assert len(pdf_read(printed).pages) == 1
    page.emulate_media(media="screen")
    page.set_viewport_size(PHONE)

    # The poster, fetched as the phone would, from the link on the page.
    poster_link = page.get_by_role("link", name=f"A4 poster of {NAME} (PDF)")
    poster = page.request.get(live_server.url + poster_link.get_attribute("href"))
    assert poster.ok and poster.headers["content-type"] == "application/pdf"
    text = pdf_text(poster.body())
    assert NAME in text and "Call 999" in text and short_link.address in text
    flyer_link = page.get_by_role("link", name=f"A5 flyer of {NAME} (PDF)")
    assert page.request.get(live_server.url + flyer_link.get_attribute("href")).ok
    _poster_picture(poster.body(), artifacts_dir / "appeal-poster-a4")
    context.close()


def test_on_a_desktop_by_keyboard_and_without_javascript(browser, live_server, artifacts_dir):
    appeal = appeal_create()
    report_name = f"Seen {NAME}? Report a sighting"

    # Keyboard only: a few presses of Tab reach "Report a sighting", which leads to the form.
    page = browser.new_page(viewport=DESKTOP)
    page.goto(live_server.url + appeal.url)
    page.screenshot(path=artifacts_dir / "appeal-page-desktop.png", full_page=True)
    assert_no_axe_violations(page, state="the appeal page on a desktop")
    presses = 0
    while page.evaluate("() => document.activeElement.textContent.trim()") != report_name:
        assert presses < 8, "more than 8 presses of Tab to reach reporting"
        page.keyboard.press("Tab")
        presses += 1
    page.keyboard.press("Enter")
    assert page.url.endswith("#report")
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('#report')")
    page.context.close()

    # Without JavaScript: no copy or share buttons, and every share is a plain link.
    page = browser.new_context(viewport=DESKTOP, java_script_enabled=False).new_page()
    page.goto(live_server.url + appeal.url)
    expect(page.get_by_role("button", name="Copy link")).to_be_hidden()
    expect(page.get_by_role("button", name="Share…")).to_be_hidden()
    address = urlencode({"u": absolute_url(appeal.url)})
    expect(page.get_by_role("link", name="Share on Facebook")).to_have_attribute(
        "href", f"https://www.facebook.com/sharer/sharer.php?{address}"
    )
    expect(page.get_by_role("link", name="Share on WhatsApp")).to_have_attribute(
        "href", re.compile(r"^https://wa\.me/\?text=")
    )
    page.screenshot(path=artifacts_dir / "appeal-page-desktop-no-javascript.png", full_page=True)
    page.get_by_role("link", name=report_name).press("Enter")
    expect(page).to_have_url(re.compile("#report$"))
    page.context.close()


def _poster_picture(pdf: bytes, stem) -> None:
    """For a person to look at: the poster as a PNG, where poppler's pdftoppm is installed."""
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:
        return
    source = stem.with_suffix(".pdf")
    source.write_bytes(pdf)
    subprocess.run([pdftoppm, "-png", "-r", "50", "-singlefile", source, stem], check=True)  # noqa: S603
