"""Home → directory → search or filter → appeal: with the keyboard alone, on a phone and a
desktop; without JavaScript; every state checked by axe and kept as a screenshot."""

from datetime import timedelta

import pytest
from django.utils import timezone

from homeward.models import PoliceForce
from tests import factories
from tests.e2e.accessibility import assert_no_axe_violations
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FOCUS_YELLOW = "rgb(255, 221, 0)"


def tab_to(page, accessible_text: str, limit: int = 80) -> None:
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


def faces_on_first_screen(page, viewport) -> int:
    """Card photos wholly or partly in view before any scrolling."""
    return page.evaluate(
        "(height) => [...document.querySelectorAll('.appeal-card__photo')]"
        ".filter(img => img.getBoundingClientRect().top < height).length",
        viewport["height"],
    )


def faces_per_screen(page, viewport) -> int:
    """How many cards a screen holds as one scrolls: cards a row times whole rows."""
    columns, card_height = page.evaluate(
        "() => { const cards = [...document.querySelectorAll('.appeal-card')];"
        " const top = cards[0].getBoundingClientRect().top;"
        " return [cards.filter(c => c.getBoundingClientRect().top === top).length,"
        " cards[0].getBoundingClientRect().height]; }"
    )
    return columns * int(viewport["height"] // card_height)


def shot(page, artifacts_dir, name: str) -> None:
    page.screenshot(path=artifacts_dir / f"{name}.png", full_page=True)
    assert (artifacts_dir / f"{name}.png").stat().st_size > 10_000


@pytest.fixture
def people():
    west_yorkshire = PoliceForce.objects.get(slug="west-yorkshire-police")
    today = timezone.localdate()
    wanted = factories.appeal_create(
        title="Marigold Thistlewood",
        police_force=west_yorkshire,
        last_seen_area="Wakefield",
        missing_since=today - timedelta(days=1),
    )
    factories.appeal_create(title="Barnaby Quenby")  # North Yorkshire: filtered out
    for name in ["Ottoline Brack", "Peregrine Sallow", "Rosamund Vell", "Tobias Wendle"]:
        factories.appeal_create(title=name, last_seen_area="Scarborough")
    return wanted


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_find_an_appeal_by_area_with_the_keyboard_alone(
    browser, live_server, artifacts_dir, people, viewport
):
    size = "phone" if viewport == PHONE else "desktop"
    page = browser.new_page(viewport=viewport)
    page.goto(live_server.url + "/")
    assert faces_on_first_screen(page, viewport) >= 2
    assert faces_per_screen(page, viewport) >= 4
    assert_no_axe_violations(page, state=f"home page ({size})")
    shot(page, artifacts_dir, f"directory-home-{size}")

    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.innerText") == "Skip to main content"

    tab_to(page, "Missing people")
    assert focused_background(page) == FOCUS_YELLOW  # focus is visible
    page.keyboard.press("Enter")
    page.wait_for_url("**/appeals/")
    assert page.locator("h1").inner_text() == "Missing people"
    # Faces first: the search box and one line of filters, then the grid.
    assert faces_on_first_screen(page, viewport) >= 2
    assert faces_per_screen(page, viewport) >= 4
    assert_no_axe_violations(page, state=f"directory ({size})")
    shot(page, artifacts_dir, f"directory-{size}")

    # The other filters fold away under one line; Enter unfolds them.
    tab_to(page, "Filter by area, age, gender or date")
    assert focused_background(page) == FOCUS_YELLOW
    page.keyboard.press("Enter")
    tab_to(page, "Police force area")
    page.keyboard.type("West Yorkshire")
    assert page.locator("#id_force").input_value() == "west-yorkshire-police"
    tab_to(page, "Show appeals")
    page.keyboard.press("Enter")
    page.wait_for_url("**/appeals/?*force=west-yorkshire-police*")
    assert "1 person matching your filters" in page.locator("#results").inner_text()
    assert page.title() == "Missing people: West Yorkshire Police \N{EN DASH} Homeward"
    assert page.get_by_text("Barnaby Quenby").count() == 0
    assert_no_axe_violations(page, state=f"filtered directory ({size})")
    shot(page, artifacts_dir, f"directory-filtered-{size}")

    tab_to(page, "Marigold Thistlewood")
    assert page.evaluate("() => document.activeElement.closest('.appeal-card') !== null")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{people.url}")
    assert page.locator("h1").inner_text() == "Marigold Thistlewood"
    assert page.get_by_role("link", name="999").count() >= 1
    shot(page, artifacts_dir, f"directory-journey-{size}")
    # Nothing overflows sideways on a phone.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
    page.close()


def test_search_by_name_or_place_and_the_states_it_can_end_in(
    browser, live_server, artifacts_dir, people
):
    """On a phone: a typo still finds the person, and the photo is a way to the appeal;
    a place finds its force's appeals; no match and a wrong filter say what to do."""
    page = browser.new_page(viewport=PHONE)
    directory = live_server.url + "/appeals/"
    page.goto(directory)
    page.get_by_label("Name or place").fill("Thistlewod")
    page.keyboard.press("Enter")
    page.wait_for_url("**/appeals/?q=Thistlewod*")
    assert page.title() == 'Missing people matching "Thistlewod" \N{EN DASH} Homeward'
    assert "1 person matching “Thistlewod”" in page.locator("#results").inner_text()
    assert_no_axe_violations(page, state="search results")
    shot(page, artifacts_dir, "directory-search-phone")
    # The photo leads to the appeal: the name's link lies over the whole card.
    photo = page.locator(".appeal-card__photo").first.bounding_box()
    page.mouse.click(photo["x"] + photo["width"] / 2, photo["y"] + photo["height"] / 2)
    page.wait_for_url(f"**{people.url}")

    page.goto(f"{directory}?q=West+Yorkshire&age=12-17&gender=female")
    assert (
        "1 person matching “West Yorkshire” and your filters"
        in page.locator("#results").inner_text()
    )
    assert page.locator("details.filters__more").get_attribute("open") is not None

    page.goto(f"{directory}?q=Xylophone")
    assert "0 people" in page.locator("#results").inner_text()
    assert page.get_by_text("Check the spelling").count() == 1
    assert_no_axe_violations(page, state="no results")
    shot(page, artifacts_dir, "directory-no-results-phone")

    page.goto(f"{directory}?age=ancient&gender=robot")
    assert page.title().startswith("Error: ")
    summary = page.locator(".error-summary")
    assert summary.get_by_role("link").count() == 2
    assert summary.get_by_role("link").first.get_attribute("href") == "#id_age"
    assert_no_axe_violations(page, state="filter errors")
    shot(page, artifacts_dir, "directory-filter-errors-phone")
    page.close()


def test_search_and_filter_without_javascript(browser, live_server, artifacts_dir, people):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/appeals/")
    page.get_by_text("Filter by area, age, gender or date").click()  # <details>: no script
    page.get_by_label("Age when missing").select_option("12-17")
    page.get_by_label("Gender").select_option("female")
    page.get_by_label("Name or place").fill("Wakefield")
    page.get_by_role("button", name="Show appeals").click()
    page.wait_for_url("**/appeals/?*age=12-17*")
    assert page.locator(".appeal-card").count() == 1
    shot(page, artifacts_dir, "directory-no-javascript-phone")
    page.locator(".appeal-card__link").click()
    page.wait_for_url(f"**{people.url}")
    context.close()
