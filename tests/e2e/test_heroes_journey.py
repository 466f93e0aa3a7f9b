"""Heroes by where they live: on a phone, by keyboard, sign up by postcode, add a town,
confirm from the real email, change areas, unsubscribe; on a desktop without JavaScript,
sign up for a place on a force boundary and add an area from the list."""

import re
import time

import pytest
from django.db import connection
from django.urls import reverse
from playwright.sync_api import expect

from newsletter.models import Hero, HeroConsent
from newsletter.tokens import manage_token
from tests.e2e.accessibility import assert_no_axe_violations
from tests.e2e.conftest import DESKTOP, PHONE

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
    """By keyboard: submit nothing, follow the error summary, give a place we do not know,
    then a postcode; add a town to the areas it found; urgent alerts; agree; sign up."""
    page.goto(live_server.url + "/heroes/")
    expect(page.locator("h1")).to_have_text("Become a Hero")
    expect(page.get_by_label("Where do you want appeals for?")).to_have_attribute(
        "autocomplete", "postal-code"
    )
    expect(page.get_by_label("Your email address")).to_have_attribute("type", "email")
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_title(re.compile(r"^Error: Become a Hero"))
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()  # read out first, and the keyboard starts there
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expected = {
        "Enter a postcode or town, like LS6 or Leeds.": "id_place",
        "Enter your email address.": "id_email",
    }
    expect(summary.get_by_role("link")).to_have_text(list(expected))
    for text, target in expected.items():
        expect(summary.get_by_role("link", name=text)).to_have_attribute("href", f"#{target}")
    expect(page.get_by_label("Your email address")).to_have_attribute("aria-invalid", "true")
    assert fits_the_screen(page)
    assert_no_axe_violations(page, state="the Heroes sign-up with nothing filled in")
    page.screenshot(path=artifacts_dir / "heroes-1-sign-up-errors-phone.png", full_page=True)

    # Each link in the summary takes the keyboard to its question.
    summary.get_by_role("link", name="Enter your email address.").focus()
    page.keyboard.press("Enter")
    assert active_element_id(page) == "id_email"
    page.keyboard.type(EMAIL)
    summary.get_by_role("link", name="Enter a postcode or town, like LS6 or Leeds.").focus()
    page.keyboard.press("Enter")
    assert active_element_id(page) == "id_place"
    page.keyboard.type("Lees")
    page.keyboard.press("Enter")

    alert = page.get_by_role("alert")
    expect(alert).to_be_focused()
    expect(alert.get_by_role("link")).to_have_text(
        [
            "We could not find “Lees”. Enter a postcode like LS6 3AB, or a town like Leeds, "
            "or choose areas from the list."
        ]
    )
    expect(page.get_by_label("Scotland")).to_be_visible()  # the list, open as the fallback
    expect(page.get_by_label("Your email address")).to_have_value(EMAIL)
    assert_no_axe_violations(page, state="the Heroes sign-up with a place we do not know")
    page.screenshot(path=artifacts_dir / "heroes-1-sign-up-unknown-place-phone.png", full_page=True)

    page.get_by_label("Where do you want appeals for?").fill("ls6 3ab")
    page.get_by_label("Where do you want appeals for?").press("Enter")

    expect(page.locator("h1")).to_have_text("Check your areas")
    areas = page.get_by_role("group", name="We will send you appeals for these areas")
    expect(areas.get_by_role("checkbox")).to_have_count(1)
    expect(areas.get_by_label("West Yorkshire Police")).to_be_checked()
    expect(areas).to_contain_text("For LS6 (Leeds)")
    expect(page.get_by_label("North Yorkshire Police")).to_be_hidden()  # folded away
    assert fits_the_screen(page)
    assert_no_axe_violations(page, state="the Heroes areas for a postcode")
    page.screenshot(path=artifacts_dir / "heroes-2-areas-for-a-postcode-phone.png", full_page=True)

    page.get_by_text("Add or remove areas").focus()
    page.keyboard.press("Enter")  # unfold
    expect(page.get_by_label("North Yorkshire Police")).to_be_visible()
    page.get_by_label("Add a postcode or town").fill("York")
    page.keyboard.press("Enter")  # Enter in the lookup finds, it does not sign up

    expect(page.get_by_role("status")).to_have_text("Found York. Its area is ticked below.")
    expect(areas.get_by_role("checkbox")).to_have_count(2)
    expect(areas.get_by_label("North Yorkshire Police")).to_be_checked()
    expect(areas).to_contain_text("For York")
    page.get_by_label("Yes, send me urgent alerts").check()
    consent = page.get_by_label(CONSENT)
    consent.focus()
    page.keyboard.press("Space")
    expect(consent).to_be_checked()
    assert_no_axe_violations(page, state="the Heroes areas with a town added")
    page.screenshot(path=artifacts_dir / "heroes-2-areas-town-added-phone.png", full_page=True)
    page.get_by_role("button", name="Sign up").focus()
    page.keyboard.press("Enter")

    expect(page.locator("h1")).to_have_text("Check your email")
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    assert_no_axe_violations(page, state="the Heroes check-your-email page")
    page.screenshot(path=artifacts_dir / "heroes-3-check-your-email-phone.png", full_page=True)


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
    assert_no_axe_violations(page, state="the Heroes confirm page")
    page.screenshot(path=artifacts_dir / "heroes-4-confirm-phone.png", full_page=True)

    page.get_by_role("button", name="Yes, confirm my subscription").click()
    expect(page.locator("h1")).to_have_text("You are now a Hero")
    hero.refresh_from_db()
    assert hero.status == Hero.Status.CONFIRMED and hero.confirmed_at
    assert hero.consents.filter(action=HeroConsent.Action.CONFIRMED).exists()
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    assert_no_axe_violations(page, state="the Heroes confirmed page")
    page.screenshot(path=artifacts_dir / "heroes-5-confirmed-phone.png", full_page=True)
    return hero


def change_areas(page, live_server, artifacts_dir, hero: Hero) -> None:
    """The manage link from every Hero email: swap West Yorkshire for Carlisle's force."""
    page.goto(live_server.url + reverse("hero-manage", args=[manage_token(hero.public_id)]))
    expect(page.locator("h1")).to_have_text("Your Hero emails")
    areas = page.get_by_role("group", name="You get appeals for these areas")
    expect(areas.get_by_label("North Yorkshire Police")).to_be_checked()
    expect(areas.get_by_label("West Yorkshire Police")).to_be_checked()
    expect(page.get_by_label("Yes, send me urgent alerts")).to_be_checked()
    areas.get_by_label("West Yorkshire Police").uncheck()
    page.get_by_text("Add or remove areas").click()
    page.get_by_label("Add a postcode or town").fill("Carlisle")
    page.get_by_role("button", name="Find areas").click()
    expect(page.get_by_role("status")).to_contain_text("Found Carlisle.")
    expect(areas.get_by_label("Cumbria Constabulary")).to_be_checked()
    expect(page.get_by_label("West Yorkshire Police")).not_to_be_checked()
    assert sorted(hero.area_names()) == ["North Yorkshire Police", "West Yorkshire Police"]
    page.get_by_role("button", name="Save my choices").click()

    expect(page.get_by_role("status")).to_contain_text("Saved.")
    expect(page.get_by_label("Cumbria Constabulary")).to_be_checked()
    expect(page.get_by_label("West Yorkshire Police")).not_to_be_checked()
    assert sorted(hero.area_names()) == ["Cumbria Constabulary", "North Yorkshire Police"]
    changed = HeroConsent.objects.get(hero=hero, action=HeroConsent.Action.CHANGED)
    assert sorted(changed.choices["areas"]) == ["Cumbria Constabulary", "North Yorkshire Police"]
    assert fits_the_screen(page)
    assert_no_axe_violations(page, state="the Heroes manage page, saved")
    page.screenshot(path=artifacts_dir / "heroes-6-manage-saved-phone.png", full_page=True)


def unsubscribe(page, artifacts_dir, hero: Hero) -> None:
    """From the manage page: the link only asks; pressing the button unsubscribes."""
    page.get_by_role("link", name="Unsubscribe from all Hero emails").click()
    expect(page.locator("h1")).to_have_text("Unsubscribe from Hero emails?")
    expect(page.locator(".lead")).to_contain_text(EMAIL)
    hero.refresh_from_db()
    assert hero.status == Hero.Status.CONFIRMED
    page.screenshot(path=artifacts_dir / "heroes-7-unsubscribe-phone.png", full_page=True)

    page.get_by_role("button", name="Yes, unsubscribe").click()
    expect(page.locator("h1")).to_have_text("You have unsubscribed")
    hero.refresh_from_db()
    assert hero.status == Hero.Status.UNSUBSCRIBED
    assert hero.consents.filter(action=HeroConsent.Action.UNSUBSCRIBED).exists()
    page.screenshot(path=artifacts_dir / "heroes-8-unsubscribed-phone.png", full_page=True)


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


def test_sign_up_by_place_on_a_desktop_without_javascript_then_with_it(
    browser, live_server, artifacts_dir, mailbox, settings
):
    """Without JavaScript: a place on a force boundary ticks both forces, and the folded
    list (a <details>) adds a third. With it, as axe needs: the list open, and every area
    unticked."""
    settings.BASE_URL = live_server.url
    page = browser.new_context(viewport=DESKTOP, java_script_enabled=False).new_page()
    try:
        page.goto(live_server.url + "/heroes/")
        page.get_by_label("Where do you want appeals for?").fill("EC2A 1AB")
        page.get_by_label("Your email address").fill(EMAIL)
        page.get_by_role("button", name="Continue").click()

        areas = page.get_by_role("group", name="We will send you appeals for these areas")
        expect(areas.get_by_role("checkbox", checked=True)).to_have_count(2)
        expect(areas).to_contain_text("City of London Police")
        expect(areas).to_contain_text("Metropolitan Police Service")
        page.get_by_text("Add or remove areas").click()
        page.get_by_label("Police Scotland").check()
        page.get_by_label("No, only the regular email").check()
        page.get_by_label(CONSENT).check()
        page.screenshot(path=artifacts_dir / "heroes-areas-desktop-no-js.png", full_page=True)
        page.get_by_role("button", name="Sign up").click()

        expect(page.locator("h1")).to_have_text("Check your email")
        hero = Hero.objects.get(email=EMAIL)
        assert sorted(hero.area_names()) == [
            "City of London Police",
            "Metropolitan Police Service",
            "Police Scotland",
        ]
        assert not hero.urgent_alerts
        page.close()

        page = browser.new_page(viewport=DESKTOP)
        page.goto(live_server.url + "/heroes/")
        page.get_by_label("Where do you want appeals for?").fill("Cardiff")
        page.get_by_label("Your email address").fill("grace@example.net")
        page.get_by_role("button", name="Continue").click()
        page.get_by_text("Add or remove areas").click()
        expect(page.get_by_label("Police Scotland")).to_be_visible()
        assert_no_axe_violations(page, state="the Heroes areas on a desktop, the list open")
        page.screenshot(path=artifacts_dir / "heroes-areas-list-open-desktop.png", full_page=True)

        page.get_by_label("South Wales Police").uncheck()
        page.get_by_role("button", name="Sign up").click()
        alert = page.get_by_role("alert")
        expect(alert).to_be_focused()
        expect(alert.get_by_role("link")).to_have_text(
            [
                "Choose at least one area, or choose all of the UK.",
                "Say whether you want urgent alerts.",
                "Tick the box to say you agree, or you cannot sign up.",
            ]
        )
        assert_no_axe_violations(page, state="the Heroes areas on a desktop, none ticked")
        page.screenshot(path=artifacts_dir / "heroes-areas-errors-desktop.png", full_page=True)
        assert not Hero.objects.filter(email="grace@example.net").exists()
        page.close()
    finally:
        connection.close()
