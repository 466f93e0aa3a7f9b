"""On a phone: find an appeal, report a sighting with a photo, get the reference."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sightings.models import Sighting
from tests import factories
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_report_a_sighting_with_a_photo_on_a_phone(browser, live_server, artifacts_dir, tmp_path):
    appeal = factories.appeal_create(title="Philippa Marchetti", last_seen_area="Ripon")
    photo = tmp_path / "IMG_2001.jpg"
    photo.write_bytes(factories.image_bytes(size=(300, 400)))

    page = browser.new_page(viewport=PHONE)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Philippa Marchetti").click()
    expect(page.locator("h1")).to_have_text("Philippa Marchetti")

    page.get_by_role("link", name="Open the form on its own page").click()
    expect(page.locator("h1")).to_have_text("Report a sighting of Philippa Marchetti")
    seen_on = timezone.localdate() - timedelta(days=1)  # since they went missing, not ahead
    page.get_by_label("Date you saw them").fill(seen_on.isoformat())
    page.get_by_label("Time (if you know it)").fill("17:45")
    page.get_by_label("Where did you see them?").fill("Ripon market square, by the fountain")
    page.get_by_label("What did you see?").fill("A teenage girl like the photo, waiting alone.")
    page.get_by_label("A photo (optional)").set_input_files(photo)
    page.get_by_label("No, I want to stay anonymous").check()
    page.wait_for_timeout(3000)  # people take a few seconds; bots that post at once are refused
    page.get_by_role("button", name="Send the sighting").click()

    expect(page.locator("h1")).to_have_text("Sighting received")
    sighting = Sighting.objects.get()
    expect(page.locator(".reference")).to_have_text(sighting.reference)
    assert sighting.appeal == appeal and sighting.anonymous and sighting.photo
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=artifacts_dir / "sighting-journey-phone.png", full_page=True)
    page.close()


def test_a_refused_report_keeps_every_answer_and_an_urgent_one_still_goes_through(
    browser, live_server, artifacts_dir, settings
):
    """One mobile carrier's address may serve thousands: when it has sent its share, a
    report is refused with every answer kept and the reason read out first, and one
    marked "with them now" is never refused."""
    settings.SIGHTING_RATE_LIMIT = (0, 600)
    appeal = factories.appeal_create(title="Rosalind Featherstonehaugh", last_seen_area="Selby")

    page = browser.new_page(viewport=PHONE)
    page.goto(live_server.url + appeal.url)
    page.get_by_role("link", name="Open the form on its own page").click()
    seen_on = timezone.localdate() - timedelta(days=1)
    page.get_by_label("Date you saw them").fill(seen_on.isoformat())
    page.get_by_label("Where did you see them?").fill("Selby Abbey, the north door")
    page.get_by_label("What did you see?").fill("A girl like the photo, sitting on the steps.")
    page.get_by_label("No, I want to stay anonymous").check()
    page.wait_for_timeout(3000)
    page.get_by_role("button", name="Send the sighting").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # read out first, with no script needed
    expect(summary).to_contain_text("If you are with them now, tick that box")
    assert page.title().startswith("Error:")
    expect(page.get_by_label("Where did you see them?")).to_have_value(
        "Selby Abbey, the north door"
    )
    expect(page.get_by_label("What did you see?")).to_have_value(
        "A girl like the photo, sitting on the steps."
    )
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=artifacts_dir / "sighting-refused-phone.png", full_page=True)
    assert not Sighting.objects.exists()

    page.get_by_label("I am with them now, or I can see them now").check()
    page.wait_for_timeout(3000)
    page.get_by_role("button", name="Send the sighting").click()
    expect(page.locator("h1")).to_have_text("Sighting received")
    assert Sighting.objects.get().with_them_now
    page.close()
