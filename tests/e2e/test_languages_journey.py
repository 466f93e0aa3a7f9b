"""Every language in Chromium on a phone: the right lang and dir, axe, and each language's
name in its own script drawn by a real font, not empty boxes (this machine has no
Ethiopic font, as many phones have none). A screenshot per language is kept."""

import pytest
from django.test import override_settings

from homeward.languages import ALL_LANGUAGES, NAMES_IN_THEMSELVES, language_path
from tests import factories
from tests.e2e.accessibility import assert_no_axe_violations
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RTL = {"ar", "fa", "fa-af", "ps", "ckb"}
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


@override_settings(LANGUAGES=ALL_LANGUAGES)
def test_every_language_on_a_phone(browser, live_server, artifacts_dir, directory):
    appeal = factories.appeal_create(title="Polyglot Perpetua")
    page = browser.new_page(viewport=PHONE)
    for code, _ in ALL_LANGUAGES:
        for name, path in [("home", "/"), ("appeal", appeal.url)]:
            response = page.goto(live_server.url + language_path(path, code))
            assert response.status == 200, (code, name)
            page.evaluate("document.fonts.ready.then(() => true)")
            html = page.locator("html")
            assert html.get_attribute("lang") == code
            assert html.get_attribute("dir") == ("rtl" if code in RTL else "ltr")
            assert_no_axe_violations(page, state=f"{name} in {code}")
            page.screenshot(path=artifacts_dir / f"language-{code}-{name}.png", full_page=True)
        # Each language's name, in the switcher of this page, in a font that has it.
        for other, font in SCRIPT_FONTS.items():
            selector = f'.language-switcher [lang="{other}"]'
            assert page.locator(selector).inner_text() == NAMES_IN_THEMSELVES[other]
            assert font in fonts_drawing(page, selector), (code, other)
        if code in SCRIPT_FONTS:
            assert SCRIPT_FONTS[code] in fonts_drawing(page, ".site-nav a"), code
