"""axe, and reflow at 320 pixels, in the states no single journey stops at: pages not
found and gone, a closed appeal's form, the Heroes' confirmation, management and
unsubscribe pages and their broken links; and the forms' pages as someone without
JavaScript gets them. Each journey checks the states it walks through."""

import pytest
from django.urls import reverse

from appeals.models import AppealIndexPage
from newsletter.tokens import confirm_token, manage_token
from tests import factories
from tests.e2e.accessibility import assert_no_axe_violations, page_without_scripts
from tests.e2e.conftest import DESKTOP, PHONE
from tests.newsletter.conftest import hero_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NARROWEST = {"width": 320, "height": 640}


def states(appeal, closed, pending, confirmed) -> dict[str, tuple[str, int]]:
    """Each state's address and the status it answers with."""
    return {
        "not-found": ("/no-such-page/", 404),
        "appeal-gone": (closed.url, 410),
        "closed-appeal-form": (reverse("sighting-report", args=[closed.pk]), 404),
        "sighting-form-own-page": (reverse("sighting-report", args=[appeal.pk]), 200),
        "heroes-confirm": (reverse("hero-confirm", args=[confirm_token(pending.public_id)]), 200),
        "heroes-manage": (reverse("hero-manage", args=[manage_token(confirmed.public_id)]), 200),
        "heroes-unsubscribe": (
            reverse("hero-unsubscribe", args=[manage_token(confirmed.public_id)]),
            200,
        ),
        "heroes-bad-link": (reverse("hero-confirm", args=["not-a-token"]), 404),
        "heroes-check-email": (reverse("hero-check-email"), 200),
        "heroes-sign-up": (reverse("hero-sign-up"), 200),
        "appeal": (appeal.url, 200),
        "home": ("/", 200),
        "directory": (AppealIndexPage.objects.get().url, 200),
        "privacy": ("/privacy/", 200),
    }


@pytest.mark.parametrize(
    ("viewport", "scripts"),
    [(PHONE, True), (DESKTOP, True), (PHONE, False)],
    ids=["phone", "desktop", "phone-without-javascript"],
)
def test_every_public_state_passes_axe(
    browser,
    live_server,
    artifacts_dir,
    directory,
    django_capture_on_commit_callbacks,
    viewport,
    scripts,
):
    appeal = factories.appeal_create(title="Sweepstake Sorrel")
    closed = factories.appeal_create(title="Homebound Hollis")
    factories.appeal_found(closed, capture=django_capture_on_commit_callbacks)
    pending = hero_create("pending.sweep@example.invalid", status="pending")
    confirmed = hero_create("confirmed.sweep@example.invalid")
    page = (
        browser.new_page(viewport=viewport)
        if scripts
        else page_without_scripts(browser, viewport=viewport)
    )
    label = ("phone" if viewport is PHONE else "desktop") + ("" if scripts else "-no-js")
    for name, (path, status) in states(appeal, closed, pending, confirmed).items():
        response = page.goto(live_server.url + path)
        assert response.status == status, (name, response.status)
        assert page.locator("h1").count() == 1, name
        assert_no_axe_violations(page, state=name)
        page.screenshot(
            path=artifacts_dir / f"state-{name}-{label}.png",
            full_page=True,
        )
        if viewport is PHONE and scripts:
            assert_reflows_at_320_pixels(page, state=name)


def assert_reflows_at_320_pixels(page, *, state: str) -> None:
    """WCAG 1.4.10: at 320 CSS pixels wide nothing scrolls sideways."""
    page.set_viewport_size(NARROWEST)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(PHONE)
    assert width <= NARROWEST["width"], f"{state} is {width}px wide at 320px"
