"""Who runs the site and what happens to what people send: from any page's footer, on a
phone, with the keyboard alone and without JavaScript."""

import pytest

from tests.e2e.accessibility import assert_no_axe_violations
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_directory_journey import tab_to

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_from_any_footer_to_the_privacy_notice_with_the_keyboard_on_a_phone(
    browser, live_server, artifacts_dir, directory
):
    page = browser.new_page(viewport=PHONE)
    page.goto(live_server.url + "/")
    # 999 is a link in the top banner, on the first screen of every page.
    call = page.locator("header .emergency a[href='tel:999']")
    assert call.is_visible() and call.bounding_box()["y"] < PHONE["height"] / 3
    page.screenshot(path=artifacts_dir / "information-phone-home-header.png")

    tab_to(page, "Privacy notice", limit=120)
    page.keyboard.press("Enter")
    page.wait_for_url("**/privacy/")
    assert page.locator("h1").inner_text() == "Privacy notice"
    assert page.get_by_role("table").get_by_text("How long we keep it").is_visible()
    assert_no_axe_violations(page, state="the privacy notice on a phone")
    page.screenshot(path=artifacts_dir / "information-phone-privacy.png", full_page=True)

    for slug, heading in [
        ("cookies", "Cookies"),
        ("accessibility", "Accessibility statement"),
        ("about", "About Homeward"),
    ]:
        page.goto(f"{live_server.url}/{slug}/")
        assert page.locator("h1").inner_text() == heading
        assert_no_axe_violations(page, state=f"the {slug} page on a phone")
        page.screenshot(path=artifacts_dir / f"information-phone-{slug}.png", full_page=True)


def test_the_information_pages_without_javascript_on_a_desktop(
    browser, live_server, artifacts_dir, directory
):
    page = browser.new_context(viewport=DESKTOP, java_script_enabled=False).new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="About this site").get_by_text("Cookies").click()
    page.wait_for_url("**/cookies/")
    assert "sets no cookies" in page.locator(".lead").inner_text()
    assert page.context.cookies() == []
    page.screenshot(path=artifacts_dir / "information-desktop-cookies-no-js.png", full_page=True)
