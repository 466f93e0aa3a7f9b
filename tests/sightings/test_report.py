"""The public sighting form: what it keeps, what it refuses, and that it never half-saves."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.conf import settings
from django.core import mail, signing
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags
from PIL import Image as PILImage

from appeals.models import AppealPage
from homeward.models import PoliceForce
from sightings.forms import SightingForm
from sightings.models import Sighting, SightingPhoto
from tests import factories
from tests.sightings.conftest import WHO_SEES_SIGHTINGS, aged_token, login_as, sighting_data

pytestmark = pytest.mark.django_db


def photo_with_gps(size=(64, 48)) -> SimpleUploadedFile:
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "TellTalePhone"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (54.0, 0.0, 0.0),
    }
    return SimpleUploadedFile("IMG_1234.jpg", factories.image_bytes(size=size, exif=exif))


def reference_of(receipt_url: str) -> str:
    from sightings.views import RECEIPT_SALT

    return signing.loads(receipt_url.rstrip("/").rsplit("/", 1)[1], salt=RECEIPT_SALT)


def receipt_of(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response.url


# Happy paths


def test_an_anonymous_sighting_is_kept_and_the_receipt_says_what_happens_next(
    client, appeal, report_url
):
    receipt = client.get(receipt_of(client.post(report_url, sighting_data(appeal))))
    sighting = Sighting.objects.get()
    assert sighting.appeal == appeal and sighting.anonymous and not sighting.consent_to_contact
    assert sighting.status == Sighting.Status.NEW
    html = receipt.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert "Sighting sent" in main and sighting.reference in main
    assert "What happens next" in main and "North Yorkshire Police reads every sighting" in main
    assert "will not contact you" in main
    assert f'href="{appeal.url}"' in main  # back to the appeal
    assert "Share this appeal" in main and "wa.me" in main
    assert "/static/appeals/js/share.js" in main  # the phone's share sheet and copying
    for private in [appeal.case_reference, "Outside the bus station", "Black puffer jacket"]:
        assert private not in main  # nothing of the case's file, nor the report read back
    assert "no-store" in receipt["Cache-Control"]


def test_a_receipt_opened_after_the_appeal_went_private_does_not_bring_it_back(
    client, appeal, report_url
):
    from appeals.models import PublicityCheck
    from homeward.page_cache import page_cache_purge

    receipt_url = receipt_of(client.post(report_url, sighting_data(appeal)))
    PublicityCheck.objects.update(expires_at=timezone.now())
    page_cache_purge()
    main = client.get(receipt_url).content.decode()
    main = main[main.index("<main") : main.index("</main>")]
    assert Sighting.objects.get().reference in main
    for withdrawn in [appeal.title, appeal.url, "North Yorkshire", "Share this appeal"]:
        assert withdrawn not in main


def test_contact_details_with_stay_anonymous_are_asked_about_not_dropped(
    client, appeal, report_url
):
    data = sighting_data(appeal, name="Fictional Witness", email="witness@example.invalid")
    response = client.post(report_url, data)
    assert response.status_code == 400
    assert not Sighting.objects.exists()
    errors = response.context["form"].errors
    assert "You chose to stay anonymous but gave your name, phone or email" in errors["identity"][0]
    html = response.content.decode()
    assert 'href="#id_identity_0"' in html  # the summary links to the question
    assert 'value="Fictional Witness"' in html and 'value="witness@example.invalid"' in html

    receipt_of(client.post(report_url, {**data, "identity": "named"}))
    sighting = Sighting.objects.get()
    assert not sighting.anonymous and sighting.consent_to_contact
    assert (sighting.reporter_name, sighting.reporter_email) == (
        "Fictional Witness",
        "witness@example.invalid",
    )


def test_a_named_sighting_keeps_the_details_and_the_answer_is_the_consent(
    client, appeal, report_url
):
    data = sighting_data(
        appeal, identity="named", name="Fictional Witness", phone="+44 7700 900123"
    )
    receipt = client.get(receipt_of(client.post(report_url, data)))
    sighting = Sighting.objects.get()
    assert not sighting.anonymous and sighting.consent_to_contact
    assert (sighting.reporter_name, sighting.reporter_phone) == (
        "Fictional Witness",
        "+44 7700 900123",
    )
    html = receipt.content.decode()
    assert "The police may contact you" in html
    assert "Fictional Witness" not in html and "7700 900123" not in html


def test_an_anonymous_sighting_can_never_hold_contact_details(appeal):
    """The rule lives below the form: the service refuses, and the database refuses."""
    from django.db import IntegrityError, transaction

    with pytest.raises(ValueError, match="no contact details"):
        factories.sighting_create(appeal, identity="anonymous", phone="07700 900123")
    sighting = factories.sighting_create(appeal)
    for details in [{"reporter_email": "a@example.invalid"}, {"consent_to_contact": True}]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Sighting.objects.filter(pk=sighting.pk).update(**details)


def test_a_date_posted_as_one_value_is_still_read(client, appeal, report_url):
    """A page cached before the date had three boxes, and scripts, post YYYY-MM-DD."""
    yesterday = timezone.localdate() - timedelta(days=1)
    data = {key: value for key, value in sighting_data(appeal).items() if "seen_on" not in key}
    receipt_of(client.post(report_url, {**data, "seen_on": yesterday.isoformat()}))
    assert timezone.localtime(Sighting.objects.get().seen_at).date() == yesterday


def test_the_form_chooses_nothing_for_them_and_says_optional_once(client, appeal, report_url):
    response = client.get(report_url)
    html = response.content.decode()
    assert "checked" not in str(response.context["form"]["identity"])
    assert 'A photo <span class="field__optional">(optional)</span>' in html
    assert "(optional) <span" not in html and "(optional)</span> (optional)" not in html
    assert 'autocomplete="name"' in html and 'type="tel"' in html and 'type="email"' in html
    assert 'inputmode="numeric"' in html and "If you chose yes: how can the police reach" in html


def test_a_photo_is_kept_privately_without_its_metadata(client, appeal, report_url):
    receipt_of(client.post(report_url, {**sighting_data(appeal), "photo": photo_with_gps()}))
    photo = SightingPhoto.objects.get()
    storage = storages["sightings"]
    assert not str(storage.path(photo.file.name)).startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(NotImplementedError):
        _ = photo.file.url  # no public address, not even a guessable one
    with photo.file.open("rb") as stored:
        data = stored.read()
    assert b"TellTalePhone" not in data
    with PILImage.open(BytesIO(data)) as decoded:
        assert len(decoded.getexif()) == 0
    assert (photo.width, photo.height) == (64, 48)


@pytest.mark.parametrize(
    "half_typed",
    [{"seen_on_day": "31", "seen_on_month": "2"}, {"seen_on_year": "20"}, {"seen_time": "25:99"}],
    ids=["no such date", "a short year", "no such time"],
)
def test_a_half_typed_date_never_holds_up_a_report_made_with_them_now(
    client, appeal, report_url, half_typed
):
    data = {**sighting_data(appeal, with_them_now="on"), **half_typed}
    receipt_of(client.post(report_url, data))
    sighting = Sighting.objects.get()
    assert sighting.with_them_now and not sighting.seen_at_approximate


def test_an_urgent_sighting_shows_999_first_and_alerts_the_force_once(
    client, appeal, report_url, django_capture_on_commit_callbacks
):
    PoliceForce.objects.filter(pk=appeal.police_force_id).update(
        duty_email="duty@nyp.police.invalid"
    )
    mail.outbox.clear()
    data = sighting_data(appeal, with_them_now="on", seen_on=None, seen_time="")
    with django_capture_on_commit_callbacks(execute=True):
        receipt = client.get(receipt_of(client.post(report_url, data)))
    html = receipt.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert main.index("call 999") < main.index("Sighting sent")
    sighting = Sighting.objects.get()
    assert sighting.with_them_now and sighting.alert_sent_at
    assert [message.to for message in mail.outbox] == [["duty@nyp.police.invalid"]]
    assert sighting.reference in mail.outbox[0].subject
    assert "Fictional" not in mail.outbox[0].body  # reporter details stay in Homeward

    from sightings.services import sighting_alert_send, sightings_follow_up_sweep

    assert not sighting_alert_send(sighting_id=sighting.pk)  # a retried job sends nothing
    assert sightings_follow_up_sweep(now=timezone.now() + timedelta(minutes=5)) == 0
    assert len(mail.outbox) == 1


class WorkerKilled(BaseException):
    """SIGKILL, as far as the code running is concerned: nothing after it runs."""


def test_an_alert_whose_worker_died_is_sent_by_the_sweep_when_its_lease_runs_out(
    appeal, monkeypatch
):
    """Decision: the force's alert is better twice than never. A job holds it for two
    minutes; if it has not recorded it sent by then, the sweep sends it."""
    from sightings.services import intake, sighting_alert_send, sightings_follow_up_sweep

    PoliceForce.objects.filter(pk=appeal.police_force_id).update(
        duty_email="duty@nyp.police.invalid"
    )
    sighting = factories.sighting_create(appeal, with_them_now=True)  # its job never runs
    mail.outbox.clear()
    send_mail = intake.send_mail

    def refused(**message):
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr(intake, "send_mail", refused)
    with pytest.raises(ConnectionRefusedError):
        sighting_alert_send(sighting_id=sighting.pk)
    sighting.refresh_from_db()
    assert sighting.alert_sent_at is sighting.alert_claimed_at is None  # free to try again

    def killed(**message):
        raise WorkerKilled

    monkeypatch.setattr(intake, "send_mail", killed)
    with pytest.raises(WorkerKilled):
        sighting_alert_send(sighting_id=sighting.pk)
    monkeypatch.setattr(intake, "send_mail", send_mail)
    sighting.refresh_from_db()
    assert sighting.alert_sent_at is None and sighting.alert_claimed_at

    assert not sighting_alert_send(sighting_id=sighting.pk)  # held: a parallel job waits
    assert sightings_follow_up_sweep(now=timezone.now() + timedelta(minutes=1)) == 0
    assert mail.outbox == []

    assert sightings_follow_up_sweep(now=timezone.now() + timedelta(minutes=3)) == 1
    assert [message.to for message in mail.outbox] == [["duty@nyp.police.invalid"]]
    sighting.refresh_from_db()
    assert sighting.alert_sent_at
    assert sightings_follow_up_sweep(now=timezone.now() + timedelta(minutes=6)) == 0
    assert len(mail.outbox) == 1


def test_a_high_risk_appeal_alerts_even_without_urgency(
    client, directory, django_capture_on_commit_callbacks
):
    appeal = factories.appeal_create(risk_level=AppealPage.RiskLevel.HIGH)
    PoliceForce.objects.filter(pk=appeal.police_force_id).update(
        duty_email="duty@nyp.police.invalid"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        receipt_of(client.post(reverse("sighting-report", args=[appeal.pk]), sighting_data(appeal)))
    assert len(mail.outbox) == 1


def test_the_form_is_on_every_live_appeal_and_works_from_there(client, appeal):
    html = client.get(appeal.url).content.decode()
    assert f'action="{reverse("sighting-report", args=[appeal.pk])}"' in html
    assert 'name="token"' in html and "csrfmiddlewaretoken" not in html  # cacheable


def test_sending_the_same_form_twice_keeps_one_sighting(client, appeal, report_url):
    data = sighting_data(appeal)
    first = receipt_of(client.post(report_url, data))
    second = receipt_of(client.post(report_url, data))
    # The same receipt: signed again, so its address differs if a second passed between.
    assert reference_of(first) == reference_of(second)
    assert Sighting.objects.count() == 1


# Bad inputs: each gets a clear response and stores nothing.

FUTURE = timezone.localdate() + timedelta(days=2)
LATER_TODAY = (timezone.localtime() + timedelta(hours=1)).strftime("%H:%M")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"location": ""}, "location", "Enter where you saw them"),
        ({"description": "   "}, "description", "Tell us what you saw"),
        ({"seen_on": None}, "seen_on", "Enter the date you saw them"),
        ({"seen_on_month": ""}, "seen_on", "The date you saw them must include a month"),
        (
            {"seen_on_day": "", "seen_on_year": ""},
            "seen_on",
            "The date you saw them must include a day and year",
        ),
        ({"seen_on_day": "31", "seen_on_month": "2"}, "seen_on", "must be a real date"),
        ({"seen_on_month": "June"}, "seen_on", "must be a real date"),
        ({"seen_on_year": "26"}, "seen_on", "The year you saw them must include 4 numbers"),
        ({"seen_on": FUTURE}, "seen_on", "must be today or in the past"),
        ({"seen_on": date(2001, 1, 1)}, "seen_on", "when they went missing"),
        ({"seen_time": "25:99"}, "seen_time", "Enter the time like 14:30"),
        ({"location": "x" * 301}, "location", "must be 300 characters or fewer (you wrote 301)"),
        ({"description": "x" * 2001}, "description", "must be 2,000 characters or fewer"),
        ({"description": "<script>alert('hi')</script>"}, "description", "without web code"),
        ({"clothing": 'Red <b onmouseover="x()">coat</b>'}, "clothing", "without web code"),
        ({"direction": "javascript:alert(1)"}, "direction", "without web code"),
        ({"identity": None}, "identity", "Choose whether the police may contact you"),
        ({"identity": "someone-else"}, "identity", "Choose whether the police may contact you"),
        ({"identity": "named"}, "name", "Enter your name, a phone number or an email address"),
        (
            {"identity": "named", "email": "not-an-email"},
            "email",
            "Enter an email address in the correct format, like name@example.com",
        ),
        (
            {"identity": "named", "phone": "call me maybe"},
            "phone",
            "Enter a phone number, like 07700 900 982 or +44 7700 900 982",
        ),
        ({"latitude": "123.4"}, "latitude", "less than or equal to 90"),
    ],
)
def test_bad_answers_are_explained_and_nothing_is_kept(
    client, appeal, report_url, overrides, field, message
):
    response = client.post(report_url, sighting_data(appeal, **overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert any(message in error for error in errors.get(field, [])), errors
    html = response.content.decode()
    # The summary links each message to its answer: a date to its Day box, radios to the first.
    target = {"seen_on": "seen_on_day", "identity": "identity_0"}.get(field, field)
    assert "There is a problem" in html
    assert f'href="#id_{target}"' in html and f'id="id_{target}"' in html
    assert "<script>alert" not in html
    assert not Sighting.objects.exists()


def test_a_time_later_today_is_refused_and_every_way_of_writing_a_time_is_read(
    client, appeal, report_url
):
    today = sighting_data(appeal, seen_on=timezone.localdate(), seen_time=LATER_TODAY)
    if timezone.localtime().hour < 23:  # an hour ahead is still today
        later = client.post(report_url, today)
        assert "must be in the past" in later.context["form"].errors["seen_time"][0]
    for written in ["9:05am", "9.05 am", "09:05", "9am"]:
        form = SightingForm(sighting_data(appeal, seen_time=written), appeal=appeal)
        assert form.is_valid(), form.errors
        assert timezone.localtime(form.cleaned_data["seen_at"]).hour == 9


def truncated_jpeg() -> bytes:
    """A real JPEG's header, then only part of its picture."""
    whole = factories.noise_image_bytes((200, 150), format="JPEG")
    return whole[: len(whole) * 2 // 3]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00 definitely not a photo" * 50, "holiday.jpg", "not a photo we can read"),
        (truncated_jpeg(), "cut-off.jpg", "cut off or damaged"),
        (factories.png_declaring(30_000, 30_000), "bomb.png", "too large in pixels"),
        (factories.noise_image_bytes((1880, 1880)), "huge.png", "bigger than 10 MB"),
        (factories.image_bytes(format="GIF"), "animation.gif", "JPEG, PNG, WebP or HEIC"),
    ],
    ids=["not-an-image", "truncated", "decompression-bomb", "over-10-mb", "gif"],
)
def test_bad_photos_are_refused_and_nothing_is_kept(
    client, appeal, report_url, content, name, message
):
    data = {**sighting_data(appeal), "photo": SimpleUploadedFile(name, content)}
    response = client.post(report_url, data)
    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors["photo"])
    assert not Sighting.objects.exists() and not SightingPhoto.objects.exists()


@pytest.mark.parametrize(
    ("change", "message", "answers_kept"),
    [
        ({"website": "http://spam.example"}, "could not accept this report", False),
        ({"token": "forged"}, "could not be checked", False),
        ({"token": "TOKEN_FOR_ANOTHER_APPEAL"}, "another appeal", False),
        ({"token": "TOKEN_TOO_OLD"}, "open for a long time", True),
        ({"token": "TOKEN_TOO_NEW"}, "very quick", True),
    ],
    ids=["honeypot", "tampered", "other-appeal", "stale", "too-fast"],
)
def test_bots_and_stale_or_tampered_forms_are_refused(
    client, directory, appeal, report_url, change, message, answers_kept
):
    tokens = {
        "TOKEN_FOR_ANOTHER_APPEAL": aged_token(factories.appeal_create().pk),
        "TOKEN_TOO_OLD": aged_token(appeal.pk, seconds=5 * 3600),
        "TOKEN_TOO_NEW": aged_token(appeal.pk, seconds=0),
    }
    change = {key: tokens.get(value, value) for key, value in change.items()}
    response = client.post(report_url, sighting_data(appeal, **change))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert ("Outside the bus station" in html) == answers_kept  # nothing to retype
    assert not Sighting.objects.exists()


def test_a_flood_from_one_client_is_cut_off_cheaply(client, appeal, report_url, settings):
    settings.SIGHTING_RATE_LIMIT = (3, 600)
    address = {"REMOTE_ADDR": "203.0.113.77"}
    for number in range(3):
        receipt_of(
            client.post(report_url, sighting_data(appeal, description=f"Seen {number}"), **address)
        )
    flooded = client.post(report_url, sighting_data(appeal, description="Seen again"), **address)
    assert flooded.status_code == 429
    assert "several reports in a short time" in flooded.content.decode()
    assert Sighting.objects.count() == 3
    other = client.post(
        report_url, sighting_data(appeal, description="Else"), REMOTE_ADDR="203.0.113.78"
    )
    receipt_of(other)  # another person is not affected


def test_when_redis_is_down_sightings_are_still_taken(
    client, appeal, report_url, settings, django_capture_on_commit_callbacks
):
    """Decision: the rate limit fails open to a per-process count and the alert waits for
    the sweep: a report is never lost because Redis is down."""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    PoliceForce.objects.filter(pk=appeal.police_force_id).update(
        duty_email="duty@nyp.police.invalid"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        receipt_of(client.post(report_url, sighting_data(appeal, with_them_now="on")))
    sighting = Sighting.objects.get()
    assert sighting.alert_sent_at is None  # the queue was down: the alert waits
    settings.REDIS_URL = ""
    from sightings.services import sightings_follow_up_sweep

    assert sightings_follow_up_sweep(now=timezone.now() + timedelta(minutes=2)) == 1
    assert len(mail.outbox) == 1


def test_an_oversized_body_is_refused_before_it_is_read(client, appeal, report_url):
    response = client.post(report_url, sighting_data(appeal), CONTENT_LENGTH=str(50 * 1024 * 1024))
    assert response.status_code == 413
    assert "too big to send" in response.content.decode()
    assert not Sighting.objects.exists()


@pytest.mark.parametrize("state", ["draft", "found", "expired", "restricted", "no-such-appeal"])
def test_appeals_that_are_not_live_take_no_sightings(client, directory, state):
    if state == "draft":
        appeal = factories.appeal_create(publish=False)
    elif state == "found":
        appeal = factories.appeal_create(status=AppealPage.Status.FOUND)
    elif state == "expired":
        appeal = factories.appeal_create()
        from appeals.models import PublicityCheck
        from homeward.page_cache import page_cache_purge

        PublicityCheck.objects.update(expires_at=timezone.now())
        page_cache_purge()
    elif state == "restricted":
        appeal = factories.appeal_create(
            check={"decision": "restricted", "decision_reason": "Risky"}
        )
    url = reverse("sighting-report", args=[appeal.pk if state != "no-such-appeal" else 999_999])
    for response in [
        client.get(url),
        client.post(url, sighting_data(appeal if state != "no-such-appeal" else directory)),
    ]:
        assert response.status_code == 404
        html = response.content.decode()
        assert "not taking sightings" in html and "tel:999" in html and "tel:116000" in html
    assert not Sighting.objects.exists()


# Never half-saved


def test_a_photo_that_fails_to_store_leaves_no_sighting(client, appeal, report_url, monkeypatch):
    storage = storages["sightings"]

    def broken_save(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(storage, "_save", broken_save)
    with pytest.raises(OSError):
        client.post(report_url, {**sighting_data(appeal), "photo": photo_with_gps()})
    assert not Sighting.objects.exists()


def test_a_sighting_that_fails_to_store_leaves_no_photo(client, appeal, report_url, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database gone")

    storage = storages["sightings"]

    def stored_files() -> set[str]:
        folders = storage.listdir("")[0] if storage.exists("") else []
        return {f"{folder}/{name}" for folder in folders for name in storage.listdir(folder)[1]}

    before = stored_files()
    monkeypatch.setattr(SightingPhoto, "save", broken_save)
    with pytest.raises(RuntimeError):
        client.post(report_url, {**sighting_data(appeal), "photo": photo_with_gps()})
    assert not Sighting.objects.exists()
    assert stored_files() == before


# Never public


@pytest.mark.parametrize(("who", "allowed"), WHO_SEES_SIGHTINGS)
def test_a_sightings_photo_is_served_only_to_the_owning_force_and_caseworkers(
    client, appeal, report_url, who, allowed
):
    receipt_of(client.post(report_url, {**sighting_data(appeal), "photo": photo_with_gps()}))
    sighting = Sighting.objects.get()
    login_as(client, who)
    response = client.get(reverse("sightings:photo", args=[sighting.public_id]))
    assert (response.status_code == 200) == allowed
    if allowed:
        assert response["Content-Type"] == "image/jpeg" and "no-store" in response["Cache-Control"]


def test_nothing_about_a_sighting_reaches_a_public_page(client, appeal, report_url, directory):
    receipt_of(
        client.post(report_url, sighting_data(appeal, identity="named", name="Witness Zebedee"))
    )
    sighting = Sighting.objects.get()
    for url in [
        "/",
        directory.url,
        appeal.url,
        f"{directory.url}feed/",
        "/sitemap.xml",
        "/no-such-page/",
    ]:
        html = client.get(url).content.decode()
        for secret in [sighting.reference, "Witness Zebedee", "Outside the bus station"]:
            assert secret not in html, url
