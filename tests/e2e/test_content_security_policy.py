"""The harness itself: a page whose policy blocks something fails the journey that saw it."""

import pytest

from tests.e2e.conftest import PHONE


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_browser_reports_what_the_policy_blocks(browser, live_server):
    page = browser.new_page(viewport=PHONE)
    page.route(
        f"{live_server.url}/blocked/",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html", "Content-Security-Policy": "script-src 'self'"},
            body="<!DOCTYPE html><title>x</title><p>Hello</p><script>document.title='y'</script>",
        ),
    )
    page.goto(f"{live_server.url}/blocked/")
    page.wait_for_timeout(200)
    assert page.title() == "x"  # the inline script did not run
    assert any("script-src" in violation for violation in browser.csp_violations)
    browser.csp_violations.clear()  # seen and expected: the fixture would fail the test
