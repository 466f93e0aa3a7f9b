"""A sighting in the reader's language: the form, its errors and the receipt in Pashto,
digits as a Pashto keyboard types them, and the police told which language it was in."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from homeward.languages import ALL_LANGUAGES, language_path
from homeward.models import PoliceForce
from sightings.models import Sighting
from tests.languages import PERSIAN_DIGITS
from tests.sightings.conftest import login_as, sighting_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def every_language(settings):
    settings.LANGUAGES = ALL_LANGUAGES


def pashto(path: str) -> str:
    return language_path(path, "ps")


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_the_form_in_pashto_says_anonymous_and_never_asks_about_status(client, appeal):
    main = main_of(client.get(pashto(reverse("sighting-report", args=[appeal.pk]))))
    assert "راپور ولېږئ" in main  # "Send the sighting"
    assert "نوم مو پټ" in main  # "you can stay anonymous"
    assert "کډوالۍ" in main  # "immigration status": never asked about
    assert "Send the sighting" not in main and "What did you see?" not in main


def test_errors_come_back_in_pashto_and_nothing_is_kept(client, appeal):
    data = sighting_data(appeal, location="", seen_on_month="")
    response = client.post(pashto(reverse("sighting-report", args=[appeal.pk])), data)
    main = main_of(response)
    assert response.status_code == 400
    assert "یوه ستونزه شته" in main  # "There is a problem"
    assert "ولیکئ چې چېرته مو ولید" in main  # "Enter where you saw them"
    assert "میاشت" in main  # the month is what is missing
    assert not Sighting.objects.exists()


def test_a_sighting_in_pashto_with_pashto_digits_is_kept_with_its_language(
    client, appeal, django_capture_on_commit_callbacks
):
    PoliceForce.objects.filter(pk=appeal.police_force_id).update(duty_email="duty@police.invalid")
    mail.outbox.clear()
    seen = timezone.localdate() - timedelta(days=1)
    data = sighting_data(
        appeal,
        seen_on=None,
        seen_on_day=str(seen.day).translate(PERSIAN_DIGITS),
        seen_on_month=str(seen.month).translate(PERSIAN_DIGITS),
        seen_on_year=str(seen.year).translate(PERSIAN_DIGITS),
        seen_time="۱۴:۳۰",
        with_them_now="on",
        location="د بس تمځای ته نږدې",
        description="یوه نجلۍ مې ولیده چې یوازې ناسته وه.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(pashto(reverse("sighting-report", args=[appeal.pk])), data)
    assert sent.status_code == 302, main_of(sent)
    receipt = main_of(client.get(sent.url))
    assert "راپور ولېږل شو" in receipt  # "Sighting sent"
    assert "Sighting sent" not in receipt

    sighting = Sighting.objects.get()
    assert sighting.language == "ps"
    assert sighting.language_named == "Pashto (پښتو)"
    assert "Written in Pashto (پښتو): an interpreter may be needed." in mail.outbox[0].body

    login_as(client, "police of the owning force")
    detail = client.get(reverse("sightings:inspect", args=[sighting.public_id])).content.decode()
    assert "<dt>Written in</dt><dd>Pashto (پښتو)</dd>" in detail
    assert '<dd lang="ps" dir="auto">یوه نجلۍ مې ولیده' in detail


def test_a_sighting_in_english_says_nothing_of_language_to_the_duty_officer(
    client, appeal, report_url, django_capture_on_commit_callbacks
):
    PoliceForce.objects.filter(pk=appeal.police_force_id).update(duty_email="duty@police.invalid")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(report_url, sighting_data(appeal, with_them_now="on"))
    assert Sighting.objects.get().language == "en-gb"
    assert "Written in" not in mail.outbox[0].body
