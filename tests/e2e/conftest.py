"""The browser harness: Playwright driving Debian's chromium against a live server."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from tests.second_factor import authenticator_create, fresh_totp_code

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
# Without these flags chromium tries to reach Google's services, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Playwright's sync API runs an event loop in the test's thread; Django's ORM calls made
# by the test itself (and by the database fixtures around it) are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# People take a few seconds before sending a form; bots that post at once are refused.
HUMAN_PAUSE_MS = 3000
PASSWORD = "correct horse battery staple"  # every test user's (tests/factories.py)
# Runs in every document before its own scripts (and outside its policy): a blocked
# script, style or image is reported on the console, where the harness collects it.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.href}:${event.lineNumber}`);
});
"""


def sign_in(browser, live_server, user):
    """A new desktop page, signed in to the admin as ``user``: the password, then a code
    from their authenticator app (registered here, as they would have at their first
    sign-in)."""
    device = authenticator_create(user)
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/admin/second-factor/**")
    page.get_by_label("Code").fill(fresh_totp_code(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def browser(live_server):
    """A fresh chromium for each test, started after the database is ready.

    Playwright's sync API switches greenlets, and Django keeps database connections per
    context: a browser that outlived one test would leave the next test's database
    setup on a different connection.
    """
    if not Path(CHROMIUM).exists():
        if os.environ.get("E2E_REQUIRED"):
            pytest.fail(f"E2E_REQUIRED is set but there is no chromium at {CHROMIUM}")
        pytest.skip("no chromium: install Debian's chromium package to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = WatchedBrowser(
            playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        )
        yield browser
        browser.close()
        # What the test asked of the database meanwhile went through a connection of
        # Playwright's context: left open, it kept the test database from being dropped.
        connections.close_all()
    assert not browser.csp_violations, "\n".join(browser.csp_violations)


class WatchedBrowser:
    """The browser, whose every page reports Content-Security-Policy violations: a journey
    that passes while the policy blocks part of a page fails at the end."""

    def __init__(self, browser):
        self._browser = browser
        self.csp_violations: list[str] = []

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on("console", self._console)
        return context

    def new_page(self, **options):
        return self.new_context(**options).new_page()

    def _console(self, message):
        text = message.text
        if text.startswith("CSP violation") or "Content Security Policy" in text:
            self.csp_violations.append(f"{message.page.url if message.page else ''}: {text}")

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture
def artifacts_dir() -> Path:
    """Screenshots are kept here after the run, as evidence of each journey."""
    path = Path(os.environ.get("ARTIFACTS_DIR", settings.BASE_DIR / "var" / "test-artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, keep a screenshot of every page the test still has open."""
    report = yield
    browser = item.funcargs.get("browser") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and browser is not None:
        folder = Path(os.environ.get("ARTIFACTS_DIR", settings.BASE_DIR / "var" / "test-artifacts"))
        folder.mkdir(parents=True, exist_ok=True)
        for context_number, context in enumerate(browser.contexts):
            for page_number, page in enumerate(context.pages):
                name = f"failed-{item.name}-{context_number}-{page_number}.png"
                page.screenshot(path=folder / name.replace("/", "_"), full_page=True)
    return report
