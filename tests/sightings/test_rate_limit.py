"""The sighting rate limit: it counts stored reports only, never refuses an urgent one,
and a refused reporter keeps every answer they typed."""

import secrets

import pytest

from sightings.models import Sighting
from tests.sightings.conftest import sighting_data

pytestmark = pytest.mark.django_db

ADDRESS = {}


@pytest.fixture(autouse=True)
def fresh_address():
    """An address of its own for each test: counts live in Redis or the process for a while."""
    ADDRESS["REMOTE_ADDR"] = f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"


@pytest.fixture
def limit_of_two(settings):
    settings.SIGHTING_RATE_LIMIT = (2, 600)


def send(client, url, data):
    return client.post(url, data, **ADDRESS)


def fill_the_limit(client, appeal, url):
    for number in range(2):
        stored = send(client, url, sighting_data(appeal, description=f"Seen {number}"))
        assert stored.status_code == 302, stored.content.decode()[:2000]


def test_typos_do_not_count_towards_the_limit(client, appeal, report_url, settings):
    settings.SIGHTING_RATE_LIMIT = (8, 600)
    for _ in range(8):  # eight attempts with the place left out
        assert send(client, report_url, sighting_data(appeal, location="")).status_code == 400
    for _ in range(2):  # and two refused as a whole (a form too quick to be a person's)
        quick = send(client, report_url, sighting_data(appeal, token="not a token"))
        assert quick.status_code == 400
    assert send(client, report_url, sighting_data(appeal)).status_code == 302
    assert Sighting.objects.count() == 1


def test_an_urgent_report_is_stored_whatever_the_count(client, appeal, report_url, limit_of_two):
    fill_the_limit(client, appeal, report_url)
    urgent = send(client, report_url, sighting_data(appeal, with_them_now="on", seen_on=None))
    assert urgent.status_code == 302
    assert Sighting.objects.filter(with_them_now=True).count() == 1
    # and a second, still urgent, as well
    again = send(client, report_url, sighting_data(appeal, with_them_now="on", description="Now"))
    assert again.status_code == 302


def test_an_urgent_report_still_meets_the_other_defences(client, appeal, report_url, limit_of_two):
    fill_the_limit(client, appeal, report_url)
    bot = send(client, report_url, sighting_data(appeal, with_them_now="on", website="spam"))
    assert bot.status_code == 400
    too_big = client.post(
        report_url,
        sighting_data(appeal, with_them_now="on"),
        CONTENT_LENGTH=str(50 * 1024 * 1024),
        **ADDRESS,
    )
    assert too_big.status_code == 413
    assert Sighting.objects.count() == 2


def test_a_refused_report_keeps_every_answer(client, appeal, report_url, limit_of_two):
    fill_the_limit(client, appeal, report_url)
    answers = sighting_data(
        appeal,
        seen_time="09:45",
        location="By the fountain in Fictional Square",
        description="Sitting with two older teenagers, laughing.",
        clothing="A yellow raincoat",
        companions="Two older teenagers",
        direction="Towards Made-up Lane",
        identity="named",
        name="Imaginary Witness",
        phone="+44 7700 900456",
        email="witness@example.invalid",
        time_is_approximate="on",
    )
    refused = send(client, report_url, answers)
    assert refused.status_code == 429
    assert Sighting.objects.count() == 2
    html = refused.content.decode()
    for box in ["day", "month", "year"]:
        name = f"seen_on_{box}"
        assert f'name="{name}" value="{answers[name]}"' in html, name
    for typed in [
        "09:45",
        "By the fountain in Fictional Square",
        "Sitting with two older teenagers, laughing.",
        "A yellow raincoat",
        "Two older teenagers",
        "Towards Made-up Lane",
        "Imaginary Witness",
        "+44 7700 900456",
        "witness@example.invalid",
    ]:
        assert typed in html, typed
    form = refused.context["form"]
    assert "checked" in str(form["time_is_approximate"])
    assert 'value="named" ' in html and "checked" in str(form["identity"])
    # An error summary that explains, takes focus without JavaScript, and a title that says so.
    summary = html[html.index('class="error-summary"') - 5 :]
    summary = summary[: summary.index("</div>")]
    assert "several reports in a short time" in summary
    assert "autofocus" in summary and 'role="alert"' in summary
    assert "<title>Error:" in html
    # A new token, so the same answers can be sent again later.
    assert refused.context["form"]["token"].value() != answers["token"]
    assert "no-store" in refused["Cache-Control"]


def test_the_limit_counts_stored_reports_per_client(client, appeal, report_url, limit_of_two):
    fill_the_limit(client, appeal, report_url)
    assert send(client, report_url, sighting_data(appeal, description="Third")).status_code == 429
    other = client.post(
        report_url, sighting_data(appeal, description="Else"), REMOTE_ADDR="2001:db8::1:2"
    )
    assert other.status_code == 302


def test_the_same_report_sent_twice_counts_once(client, appeal, report_url, limit_of_two):
    data = sighting_data(appeal)
    for _ in range(3):  # a double tap, and a reload that sends it again
        assert send(client, report_url, data).status_code == 302
    assert Sighting.objects.count() == 1
    assert send(client, report_url, sighting_data(appeal, description="Other")).status_code == 302
