"""Home → directory → filter → appeal, with the keyboard alone."""

import pytest

from homeward.models import PoliceForce
from tests import factories
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FOCUS_YELLOW = "rgb(255, 221, 0)"


def tab_to(page, accessible_text: str, limit: int = 60) -> None:
    """Press Tab until the focused element's text or label contains the given text."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const el = document.activeElement;"
            " const label = el.labels && el.labels[0] ? el.labels[0].innerText : '';"
            " return (el.innerText || '') + ' ' + label; }"
        )
        if accessible_text in focused:
            return
    raise AssertionError(f"Tab never reached {accessible_text!r}")


def focused_background(page) -> str:
    return page.evaluate("() => getComputedStyle(document.activeElement).backgroundColor")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_find_an_appeal_by_area_with_the_keyboard_alone(
    browser, live_server, artifacts_dir, viewport
):
    west_yorkshire = PoliceForce.objects.get(slug="west-yorkshire-police")
    wanted = factories.appeal_create(
        title="Marigold Thistlewood", police_force=west_yorkshire, last_seen_area="Wakefield"
    )
    factories.appeal_create(title="Barnaby Quenby")  # North Yorkshire: filtered out

    page = browser.new_page(viewport=viewport)
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.innerText") == "Skip to main content"

    tab_to(page, "Missing people")
    assert focused_background(page) == FOCUS_YELLOW  # focus is visible
    page.keyboard.press("Enter")
    page.wait_for_url("**/appeals/")
    assert page.locator("h1").inner_text() == "Missing people"

    tab_to(page, "Police force area")
    page.keyboard.type("West Yorkshire")
    assert page.locator("#id_force").input_value() == "west-yorkshire-police"
    tab_to(page, "Show appeals")
    page.keyboard.press("Enter")
    page.wait_for_url("**/appeals/?*force=west-yorkshire-police*")
    assert "1 person matching your filters" in page.locator("#results").inner_text()
    assert page.get_by_text("Barnaby Quenby").count() == 0

    tab_to(page, "Marigold Thistlewood")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{wanted.url}")
    assert page.locator("h1").inner_text() == "Marigold Thistlewood"
    assert page.get_by_role("link", name="999").count() >= 1

    name = "directory-journey-" + ("phone" if viewport == PHONE else "desktop") + ".png"
    page.screenshot(path=artifacts_dir / name, full_page=True)
    assert (artifacts_dir / name).stat().st_size > 10_000
    # Nothing overflows sideways on a phone.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
    page.close()
