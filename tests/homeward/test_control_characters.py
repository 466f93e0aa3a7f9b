"""Control and direction characters: refused in one-line fields, harmless in email headers
(even from a row stored before they were refused), and shown plainly to officers."""

import csv
import io
from email import message_from_bytes, policy

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from appeals.models import AppealPage
from homeward import roles
from homeward.models import PoliceForce
from homeward.text import hidden_characters_shown, single_line, validate_single_line
from newsletter.emails import PLACEHOLDERS
from newsletter.mime import MessageFrame, PreparedBody, message_bytes
from newsletter.models import Partner
from sightings import services as sighting_services
from sightings.models import Sighting
from tests import factories
from tests.appeals.test_validation import form_errors, post_new_appeal
from tests.newsletter.conftest import hero_create
from tests.sightings.conftest import OWNING_FORCE, sighting_data

pytestmark = pytest.mark.django_db

INJECTION = "Ann Madeup\r\nBcc: everyone@evil.invalid"
BREAKS = ["\n", "\r", "\r\n", "\t", "\x00", "\x0b", "\x1b", "\x7f", "\x85", "\u2028", "\u2029"]
# Right-to-left override, isolates, zero-width space and joiner, marks, byte-order mark.
HIDDEN = ["\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\u200d", "\u200f", "\ufeff"]


# One-line fields refuse control characters, at the model


@pytest.mark.parametrize("character", BREAKS)
def test_the_validator_refuses_control_characters(character):
    with pytest.raises(ValidationError, match="on one line"):
        validate_single_line(f"Leeds{character}city centre")
    validate_single_line("Léeds, “city” centre \u2013 شارع \u200fÜnïcode")  # any script passes


def test_single_line_puts_anything_on_one_line():
    assert single_line(INJECTION) == "Ann Madeup Bcc: everyone@evil.invalid"
    assert single_line(" A\u2028B\tC \x00\n D ") == "A B C D"


@pytest.mark.parametrize(
    "field", ["title", "seo_title", "build", "hair", "last_seen_area", "case_reference"]
)
def test_an_appeals_one_line_fields_refuse_a_line_break(directory, field):
    appeal = factories.appeal_build(**{field: "Leeds\r\nBcc: x@evil.invalid"})
    with pytest.raises(ValidationError) as refused:
        appeal.full_clean(exclude=["path", "depth"])  # not placed in the tree yet
    assert "on one line" in str(refused.value.message_dict.get(field, refused.value))


@pytest.mark.parametrize(
    ("field", "form_field"), [("title", "title"), ("photos-0-alt_text", "photos-0-alt_text")]
)
def test_the_admin_explains_a_line_break_and_saves_nothing(client, directory, field, form_field):
    client.force_login(factories.user_create(role=roles.PUBLISHERS))
    data = {**factories.new_appeal_form_data(), field: "Valentina\r\nBcc: x@evil.invalid"}
    response = post_new_appeal(client, directory, data, submit=False)
    assert response.status_code == 200
    assert any("on one line" in error for error in form_errors(response)[form_field])
    assert not AppealPage.objects.filter(slug="valentina-wychwood").exists()


def test_a_photos_alt_text_refuses_a_line_break():
    photo = factories.appeal_build().photos.model(alt_text="Smiling\nBcc: x@evil.invalid")
    with pytest.raises(ValidationError) as refused:
        photo.clean_fields(exclude=["page", "image"])
    assert "alt_text" in refused.value.message_dict


def test_partners_and_police_forces_refuse_a_line_break(db):
    partner = Partner(organisation=INJECTION, email="p@example.org", vetted_on="2026-01-01")
    with pytest.raises(ValidationError) as refused:
        partner.full_clean()
    assert set(refused.value.message_dict) == {"organisation"}
    force = PoliceForce(name="Fictional\nConstabulary", slug="fictional", nation="england")
    with pytest.raises(ValidationError) as refused:
        force.full_clean()
    assert set(refused.value.message_dict) == {"name"}


def test_a_sighting_made_in_code_with_a_line_break_is_refused_and_not_kept(appeal):
    with pytest.raises(ValidationError) as refused:
        factories.sighting_create(appeal, location="Market Street\r\nBcc: x@evil.invalid")
    assert "location" in refused.value.message_dict
    assert not Sighting.objects.exists()


def test_the_public_form_puts_one_line_answers_on_one_line(client, directory):
    appeal = factories.appeal_create(title="Sighted Sabrina")
    data = sighting_data(appeal, location="Station\tParade\r\nnear the\u2028bus stop")
    response = client.post(reverse("sighting-report", args=[appeal.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Sighting.objects.get().location == "Station Parade near the bus stop"


# Email headers are built by the standard library, from any stored text


def read_back(data: bytes):
    return message_from_bytes(data.replace(b"\r\n..", b"\r\n."), policy=policy.default)


def test_a_hand_built_message_keeps_a_line_break_out_of_its_headers():
    frame = MessageFrame(
        sender="Homeward <appeals@homeward.invalid>",
        subject=f"Urgent: please help find {INJECTION}",
        domain="homeward.invalid",
    )
    body = PreparedBody.prepare(html="<p>x</p>", text="x", placeholders=PLACEHOLDERS)
    data = message_bytes(
        frame=frame, message_id="m.1", recipient="a@example.org", body=body, values={}
    )
    message = read_back(data)
    assert message["Bcc"] is None
    assert message["Subject"] == "Urgent: please help find Ann Madeup Bcc: everyone@evil.invalid"
    assert message["To"] == "a@example.org"


def make_legacy(appeal: AppealPage, title: str) -> None:
    """A title stored before line breaks were refused (no validation on an UPDATE)."""
    AppealPage.objects.filter(pk=appeal.pk).update(title=title, draft_title=title)
    appeal.refresh_from_db()
    revision = appeal.latest_revision
    revision.content["title"] = title
    revision.save(update_fields=["content"])


def test_a_legacy_title_with_a_line_break_cannot_inject_a_header_into_heroes_emails(
    directory, mailbox, django_capture_on_commit_callbacks
):
    from newsletter.models import Campaign
    from newsletter.services import campaign_partner_briefing, campaign_urgent_alert

    force = PoliceForce.objects.get(slug=OWNING_FORCE)
    hero_create("asked@example.org", areas=[force], urgent_alerts=True)
    Partner.objects.create(
        organisation="Fictional Refuge",
        email="partner@example.org",
        all_of_uk=True,
        briefings=True,
        vetted_on="2026-01-01",
    )
    appeal = factories.appeal_create(parent=directory, police_force=force, risk_level="high")
    Campaign.objects.all().delete()
    mailbox.arrivals.clear()
    make_legacy(appeal, INJECTION)
    with django_capture_on_commit_callbacks(execute=True):
        assert campaign_urgent_alert(appeal=appeal)
        assert campaign_partner_briefing(appeal=appeal)
    assert sorted(a.recipients[0] for a in mailbox.arrivals) == [
        "asked@example.org",
        "partner@example.org",
    ]
    for arrival in mailbox.arrivals:
        assert arrival.recipients in (["asked@example.org"], ["partner@example.org"])
        assert arrival.message["Bcc"] is None
        assert "Ann Madeup Bcc: everyone@evil.invalid" in arrival.message["Subject"]


def test_a_legacy_title_with_a_line_break_still_lets_the_urgent_alert_go(appeal):
    PoliceForce.objects.filter(pk=appeal.police_force_id).update(
        duty_email="duty@nyp.police.invalid"
    )
    make_legacy(appeal, INJECTION)
    mail.outbox.clear()
    sighting = factories.sighting_create(appeal, with_them_now=True)
    assert sighting_services.sighting_alert_send(sighting_id=sighting.pk)
    (sent,) = mail.outbox
    message = message_from_bytes(sent.message().as_bytes(), policy=policy.default)
    assert message["Bcc"] is None and sent.bcc == []
    assert "\n" not in message["Subject"] and "Ann Madeup Bcc:" in message["Subject"]
    assert Sighting.objects.get().alert_sent_at is not None


# Where officers read reports, hidden characters are shown


def test_hidden_characters_are_shown_by_their_code():
    assert hidden_characters_shown("gnp.\u202eexe") == "gnp.[U+202E]exe"
    assert hidden_characters_shown("a\u200bb\ufeff") == "a[U+200B]b[U+FEFF]"
    assert hidden_characters_shown("one\r\ntwo\tthree", multi_line=True) == "one\ntwo\tthree"
    assert hidden_characters_shown("one\ntwo") == "one[U+000A]two"


@pytest.fixture
def officer_client(client):
    client.force_login(factories.user_create(role=roles.POLICE_OFFICERS, force_slug=OWNING_FORCE))
    return client


def tricky_sighting(appeal) -> Sighting:
    sighting = factories.sighting_create(
        appeal,
        location="Outside the library",
        description="Heading north\u202e,htuos gnidaeH",
        direction="Toward\u200b the park",
        identity="named",
        name="Wit\u2066ness\u2069 Quillon",
    )
    # Stored before the one-line rule: the screen shows it plainly all the same.
    Sighting.objects.filter(pk=sighting.pk).update(location="Market\u202eteertS")
    return sighting


def assert_shown_plainly(text: str) -> None:
    for code in (0x202E, 0x200B, 0x2066, 0x2069):
        assert chr(code) not in text
        assert f"[U+{code:04X}]" in text


def test_the_triage_screens_show_hidden_characters(officer_client, appeal):
    sighting = tricky_sighting(appeal)
    detail = officer_client.get(reverse("sightings:inspect", args=[sighting.public_id]))
    assert_shown_plainly(detail.content.decode())
    queue = officer_client.get(reverse("sightings:index")).content.decode()
    assert "Market[U+202E]teertS" in queue and "\u202e" not in queue
    printed = officer_client.post(reverse("sightings:print"), {"ids": [sighting.public_id]})
    assert_shown_plainly(printed.content.decode())


def test_the_csv_export_shows_hidden_characters_and_runs_no_formula(officer_client, appeal):
    sighting = tricky_sighting(appeal)
    formula = factories.sighting_create(appeal, description='\u200b=HYPERLINK("http://x.invalid")')
    spaced = factories.sighting_create(appeal, description=" =1+1")
    # The queue's export: every sighting the officer's queue holds (these three).
    response = officer_client.get(reverse("sightings:index"), {"export": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert_shown_plainly(body)
    rows = list(csv.DictReader(io.StringIO(body)))
    references = {sighting.reference, formula.reference, spaced.reference}
    assert {row["Reference"] for row in rows} == references
    for row in rows:
        for value in row.values():
            assert value.lstrip()[:1] not in {"=", "+", "-", "@"}
