"""On a phone: sign up as a Hero, confirm from the real email, change areas, unsubscribe."""

import re
import time

import pytest
from django.db import connection
from django.urls import reverse
from playwright.sync_api import expect

from newsletter.models import Hero, HeroConsent
from newsletter.tokens import manage_token
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EMAIL = "ada.lovelock@example.net"
CONFIRM_LINK = re.compile(r"https?://[^\s\"'<>]+/heroes/confirm/[^\s\"'<>/]+/")
CONSENT = re.compile(r"^Email me appeals for missing people")


def arrival_to(mailbox, address: str, timeout: float = 10.0):
    """The one email to ``address``: jobs run in-process, but allow the SMTP server a moment."""
    deadline = time.monotonic() + timeout
    while not mailbox.to(address) and time.monotonic() < deadline:
        time.sleep(0.1)
    return mailbox.only_one_to(address)


def active_element_id(page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def fits_the_screen(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def sign_up(page, live_server, artifacts_dir) -> None:
    """Submit nothing, follow the error summary, then sign up for two areas and alerts."""
    page.goto(live_server.url + "/heroes/")
    expect(page.locator("h1")).to_have_text("Become a Hero")
    page.get_by_role("button", name="Sign up").click()

    expect(page).to_have_title(re.compile(r"^Error: Become a Hero"))
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expected = {
        "Enter your email address.": "id_email",
        "Choose all of the UK, or the areas you want.": "id_where_0",
        "Say whether you want urgent alerts.": "id_urgent_alerts_0",
        "Tick the box to say you agree, or you cannot sign up.": "id_consent",
    }
    expect(summary.get_by_role("link")).to_have_text(list(expected))
    for text, target in expected.items():
        expect(summary.get_by_role("link", name=text)).to_have_attribute("href", f"#{target}")
        expect(page.locator(f"#{target}")).to_have_count(1)  # every link has somewhere to go
    expect(page.get_by_label("Your email address")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label(CONSENT)).to_have_attribute("aria-invalid", "true")
    assert fits_the_screen(page)
    page.screenshot(path=artifacts_dir / "heroes-1-sign-up-errors-phone.png", full_page=True)

    # Each link in the summary takes the keyboard to its question.
    summary.get_by_role("link", name="Say whether you want urgent alerts.").focus()
    page.keyboard.press("Enter")
    assert active_element_id(page) == "id_urgent_alerts_0"
    summary.get_by_role("link", name="Enter your email address.").focus()
    page.keyboard.press("Enter")
    assert active_element_id(page) == "id_email"
    page.keyboard.type(EMAIL)

    page.get_by_label("Only the areas I choose").check()
    expect(page.get_by_label("North Yorkshire Police", exact=True)).to_be_hidden()
    page.get_by_text("Choose police force areas").focus()
    page.keyboard.press("Enter")  # unfold the list
    page.get_by_label("North Yorkshire Police", exact=True).check()
    page.get_by_label("West Yorkshire Police", exact=True).check()
    page.get_by_label("Yes, send me urgent alerts").check()
    consent = page.get_by_label(CONSENT)
    consent.focus()
    page.keyboard.press("Space")
    expect(consent).to_be_checked()
    page.screenshot(path=artifacts_dir / "heroes-1-sign-up-phone.png", full_page=True)
    page.get_by_role("button", name="Sign up").focus()
    page.keyboard.press("Enter")

    expect(page.locator("h1")).to_have_text("Check your email")
    page.screenshot(path=artifacts_dir / "heroes-2-check-your-email-phone.png", full_page=True)


def confirm_from_the_email(page, live_server, artifacts_dir, mailbox) -> Hero:
    """The confirmation link, as the SMTP server received it: opening it only asks."""
    hero = Hero.objects.get(email=EMAIL)
    assert hero.status == Hero.Status.PENDING
    assert not hero.all_of_uk and hero.urgent_alerts
    assert sorted(hero.area_names()) == ["North Yorkshire Police", "West Yorkshire Police"]

    email = arrival_to(mailbox, EMAIL)
    assert email.message["Subject"] == "Confirm you want to be a Homeward Hero"
    text = email.text()
    assert "North Yorkshire Police" in text and "West Yorkshire Police" in text
    confirm_url = CONFIRM_LINK.search(text).group(0)
    assert confirm_url.startswith(live_server.url + "/heroes/confirm/")
    assert confirm_url in email.html()

    page.goto(confirm_url)
    expect(page.locator("h1")).to_have_text("Confirm you want to be a Hero")
    expect(page.locator(".lead")).to_contain_text("with urgent alerts")
    hero.refresh_from_db()
    assert hero.status == Hero.Status.PENDING  # a mail scanner following links confirms no one
    page.screenshot(path=artifacts_dir / "heroes-3-confirm-phone.png", full_page=True)

    page.get_by_role("button", name="Yes, confirm my subscription").click()
    expect(page.locator("h1")).to_have_text("You are now a Hero")
    hero.refresh_from_db()
    assert hero.status == Hero.Status.CONFIRMED and hero.confirmed_at
    assert hero.consents.filter(action=HeroConsent.Action.CONFIRMED).exists()
    page.screenshot(path=artifacts_dir / "heroes-4-confirmed-phone.png", full_page=True)
    return hero


def change_areas(page, live_server, artifacts_dir, hero: Hero) -> None:
    """The manage link from every Hero email: swap West Yorkshire for Cumbria."""
    page.goto(live_server.url + reverse("hero-manage", args=[manage_token(hero.public_id)]))
    expect(page.locator("h1")).to_have_text("Your Hero emails")
    expect(page.get_by_label("Only the areas I choose")).to_be_checked()
    expect(page.get_by_label("North Yorkshire Police", exact=True)).to_be_checked()
    expect(page.get_by_label("West Yorkshire Police", exact=True)).to_be_checked()
    expect(page.get_by_label("Yes, send me urgent alerts")).to_be_checked()
    page.get_by_label("West Yorkshire Police", exact=True).uncheck()
    page.get_by_label("Cumbria Constabulary", exact=True).check()
    page.get_by_role("button", name="Save my choices").click()

    expect(page.get_by_role("status")).to_contain_text("Saved.")
    expect(page.get_by_label("Cumbria Constabulary", exact=True)).to_be_checked()
    expect(page.get_by_label("West Yorkshire Police", exact=True)).not_to_be_checked()
    assert sorted(hero.area_names()) == ["Cumbria Constabulary", "North Yorkshire Police"]
    changed = HeroConsent.objects.get(hero=hero, action=HeroConsent.Action.CHANGED)
    assert sorted(changed.choices["areas"]) == ["Cumbria Constabulary", "North Yorkshire Police"]
    assert fits_the_screen(page)
    page.screenshot(path=artifacts_dir / "heroes-5-manage-saved-phone.png", full_page=True)


def unsubscribe(page, artifacts_dir, hero: Hero) -> None:
    """From the manage page: the link only asks; pressing the button unsubscribes."""
    page.get_by_role("link", name="Unsubscribe from all Hero emails").click()
    expect(page.locator("h1")).to_have_text("Unsubscribe from Hero emails?")
    expect(page.locator(".lead")).to_contain_text(EMAIL)
    hero.refresh_from_db()
    assert hero.status == Hero.Status.CONFIRMED
    page.screenshot(path=artifacts_dir / "heroes-6-unsubscribe-phone.png", full_page=True)

    page.get_by_role("button", name="Yes, unsubscribe").click()
    expect(page.locator("h1")).to_have_text("You have unsubscribed")
    hero.refresh_from_db()
    assert hero.status == Hero.Status.UNSUBSCRIBED
    assert hero.consents.filter(action=HeroConsent.Action.UNSUBSCRIBED).exists()
    page.screenshot(path=artifacts_dir / "heroes-7-unsubscribed-phone.png", full_page=True)


def test_become_a_hero_change_areas_and_leave_on_a_phone(
    browser, live_server, artifacts_dir, mailbox, settings
):
    settings.BASE_URL = live_server.url  # so the links in emails point at this server
    page = browser.new_page(viewport=PHONE)
    try:
        sign_up(page, live_server, artifacts_dir)
        hero = confirm_from_the_email(page, live_server, artifacts_dir, mailbox)
        change_areas(page, live_server, artifacts_dir, hero)
        unsubscribe(page, artifacts_dir, hero)
        assert len(mailbox.to(EMAIL)) == 1  # confirming, changing and leaving send nothing
        page.close()
    finally:
        # With Playwright running, this test's own queries get a database connection of
        # their own, which nothing else closes: left open, PostgreSQL refuses to drop the
        # test database at the end of the run.
        connection.close()
