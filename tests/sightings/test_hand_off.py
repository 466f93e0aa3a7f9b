"""Passing a sighting across police lines: a North Yorkshire appeal's sighting, seen in
Leeds, passed to West Yorkshire Police. Who may pass it, who then sees it and what of the
case, the refusals, the audit trail, the receiving force's duty alert and retention."""

import csv
import io
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from homeward import roles
from homeward.models import PoliceForce
from sightings import services
from sightings.models import (
    Sighting,
    SightingHandOff,
    SightingLogEntry,
    SightingNote,
    SightingTranslation,
    ThriveAssessment,
)
from sightings.services import intake
from tests import factories
from tests.sightings.conftest import OWNING_FORCE
from tests.sightings.test_report import WorkerKilled
from tests.sightings.test_retention import close
from tests.sightings.test_triage import THRIVE, messages_of

pytestmark = pytest.mark.django_db

RECEIVING_FORCE = "west-yorkshire-police"
THIRD_FORCE = "kent-police"
HANDED_OFF = "homeward.sighting.handed_off"

OWNING_OFFICER = "officer of the owning force"
RECEIVING_OFFICER = "officer of the force it was passed to"
THIRD_OFFICER = "officer of a third force"
# Everyone who might ask for a sighting North Yorkshire passed to West Yorkshire.
WHO = [
    "anonymous",
    "superuser",
    roles.EDITORS,
    roles.CASEWORKERS,
    OWNING_OFFICER,
    RECEIVING_OFFICER,
    THIRD_OFFICER,
]
SEES_IT = {OWNING_OFFICER, RECEIVING_OFFICER, roles.CASEWORKERS}
FORCE_OF = {
    OWNING_OFFICER: (OWNING_FORCE, "Owning"),
    RECEIVING_OFFICER: (RECEIVING_FORCE, "Receiving"),
    THIRD_OFFICER: (THIRD_FORCE, "Third"),
}


def force(slug: str) -> PoliceForce:
    return PoliceForce.objects.get(slug=slug)


def person(who: str):
    """A new member of staff who is one of WHO (None if anonymous)."""
    if who == "anonymous":
        return None
    if who == "superuser":
        return factories.user_create(is_superuser=True, is_staff=True)
    if who in FORCE_OF:
        slug, name = FORCE_OF[who]
        return factories.user_create(
            role=roles.POLICE_OFFICERS, force_slug=slug, first_name="Constable", last_name=name
        )
    return factories.user_create(role=who)


def hand_off(sighting, *, user, to=RECEIVING_FORCE, **kwargs) -> SightingHandOff:
    kwargs.setdefault("reason", "Seen in Leeds: West Yorkshire's ground.")
    return services.sighting_hand_off(sighting=sighting, to_force=force(to), user=user, **kwargs)


@pytest.fixture(scope="module")
def matrix_rows(module_rows):
    """Built once: a claimed, assessed sighting with a named witness and a photo, passed
    to West Yorkshire; another sighting of the same appeal, not passed; one person each."""
    appeal = factories.appeal_create(title="Sighted Sabrina", case_reference="NY-SECRET-0042")
    staff = {who: person(who) for who in WHO}
    owning = staff[OWNING_OFFICER]
    passed = factories.sighting_create(
        appeal, photo=True, identity="named", name="Witness Quillon", phone="07700 900123"
    )
    Sighting.objects.filter(pk=passed.pk).update(language="ps")  # so it may be translated
    services.sighting_claim(sighting=passed, user=owning)
    services.sighting_assess(
        sighting=passed, user=owning, answers={**THRIVE, "harm": "Known to Ms Unshared."}
    )
    passed_to = hand_off(passed, user=owning)
    # Its alert is another test's: this one must not be found by their sweeps.
    SightingHandOff.objects.filter(pk=passed_to.pk).update(alert_sent_at=timezone.now())
    other = factories.sighting_create(appeal, location="Behind the Unpassed Arms")
    return (
        {"passed": passed.pk, "other": other.pk},
        {who: getattr(user, "pk", None) for who, user in staff.items()},
    )


@pytest.fixture
def rows(client, matrix_rows):
    """The module's sightings afresh, and a way to sign the client in as one of WHO."""
    sighting_ids, staff_ids = matrix_rows

    def sign_in(who):
        user = staff_ids[who] and get_user_model().objects.get(pk=staff_ids[who])
        if user:
            client.force_login(user)
        return user

    sightings = {name: Sighting.objects.get(pk=pk) for name, pk in sighting_ids.items()}
    return sightings, sign_in


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


def assert_refused_as_unknown(response) -> None:
    """Not found, or sent to sign in: as if the sighting did not exist."""
    assert response.status_code in {302, 404}, response.status_code
    if response.status_code == 302:
        assert urlsplit(response["Location"]).path in {"/admin/login/", "/admin/"}


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("page", ["inspect", "history", "photo"])
def test_who_sees_a_passed_sighting(client, rows, who, page):
    """The owning force, the force it was passed to and the caseworkers; nobody else."""
    sightings, sign_in = rows
    sign_in(who)
    passed = sightings["passed"]
    response = client.get(reverse(f"sightings:{page}", args=[passed.public_id]))
    if who not in SEES_IT:
        assert_refused_as_unknown(response)
        assert "Quillon" not in body_of(response)
        return
    assert response.status_code == 200
    if page == "inspect":
        assert "Witness Quillon" in body_of(response)
    if page == "history":
        assert "Passed to West Yorkshire Police" in body_of(response)


@pytest.mark.parametrize("who", WHO)
def test_who_finds_a_passed_sighting_in_their_queue(client, rows, who):
    sightings, sign_in = rows
    sign_in(who)
    response = client.get(reverse("sightings:index"))
    if who not in SEES_IT:
        assert response.status_code in {200, 302, 404}
        assert sightings["passed"].reference not in body_of(response)
        return
    html = body_of(response)
    assert sightings["passed"].reference in html
    # The other sighting of the case is the owning force's and the caseworkers' alone.
    assert (sightings["other"].reference in html) == (who != RECEIVING_OFFICER)
    assert ("Passed to you by North Yorkshire Police" in html) == (who == RECEIVING_OFFICER)


# Each step on the passed sighting (claimed by the owning officer): what it posts, and
# whether it took effect for ``user``.
STEPS = {
    "claim": ({}, lambda s, user: s.claimed_by_id == user.pk),
    "release": ({}, lambda s, user: s.claimed_by_id is None),
    "pass-on": ({}, lambda s, user: s.status == Sighting.Status.PASSED_ON),
    "assess": (THRIVE, lambda s, user: s.assessments.count() == 2),
    "close": ({"reason": "actioned"}, lambda s, user: s.status == Sighting.Status.CLOSED),
    "note": (
        {"text": "Leeds patrol told."},
        lambda s, user: s.notes.filter(author=user).exists(),
    ),
    "translate": (
        {"text": "I saw her at the station.", "translated_by": "Int 7"},
        lambda s, user: s.translations.filter(added_by=user).exists(),
    ),
    "hand-off": (
        {"reason": "Heading for Kent."},
        lambda s, user: s.hand_offs.filter(to_force__slug=THIRD_FORCE).exists(),
    ),
}
# Who may take each step: a force it was passed to reads it and adds notes, no more.
MAY = {
    "note": {OWNING_OFFICER, RECEIVING_OFFICER, roles.CASEWORKERS},
    "translate": {OWNING_OFFICER, roles.CASEWORKERS},
}


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("step", STEPS)
def test_who_may_take_each_step_on_a_passed_sighting(client, rows, who, step):
    sightings, sign_in = rows
    user = sign_in(who)
    passed = sightings["passed"]
    data, took_effect = STEPS[step]
    if step == "hand-off":
        data = {**data, "to_force": force(THIRD_FORCE).pk}
    before = (
        SightingNote.objects.count(),
        ThriveAssessment.objects.count(),
        SightingTranslation.objects.count(),
        SightingHandOff.objects.count(),
        passed.status,
        passed.claimed_by_id,
    )
    response = client.post(reverse("sightings:act", args=[passed.public_id, step]), data)
    passed.refresh_from_db()
    allowed = who in MAY.get(step, {OWNING_OFFICER})
    if allowed:
        assert response.status_code == 302, body_of(response)
        assert took_effect(passed, user)
        return
    if who in SEES_IT:  # told why on the sighting's page
        assert response.status_code == 302
        assert response["Location"] == reverse("sightings:inspect", args=[passed.public_id])
        assert messages_of(response)
    else:
        assert_refused_as_unknown(response)
    after = (
        SightingNote.objects.count(),
        ThriveAssessment.objects.count(),
        SightingTranslation.objects.count(),
        SightingHandOff.objects.count(),
        passed.status,
        passed.claimed_by_id,
    )
    assert after == before
    if user is not None:
        assert not SightingLogEntry.objects.filter(object_id=passed.pk, user=user).exists()


def test_the_receiving_force_sees_the_sighting_and_the_appeals_public_details_only(client, rows):
    sightings, sign_in = rows
    sign_in(RECEIVING_OFFICER)
    passed, other = sightings["passed"], sightings["other"]
    html = body_of(client.get(reverse("sightings:inspect", args=[passed.public_id])))

    assert "Passed to your force by North Yorkshire Police" in html
    # The sighting itself, whole: the reporter's words and details, and their photo.
    assert "Witness Quillon" in html and "07700 900123" in html
    assert reverse("sightings:photo", args=[passed.public_id]) in html
    # The appeal as the public sees it: name, area, photo, its public address.
    assert "Sighted Sabrina" in html and "Harrogate" in html
    assert "Photo 1 of Sighted Sabrina" in html and passed.appeal.url in html
    # Why it was passed, written for them.
    assert "Seen in Leeds: West Yorkshire&#x27;s ground." in html
    # Nothing else of the case: no case reference, risk, THRIVE, points, other sightings.
    # (The history says an assessment was recorded, as it says every step: not what it found.)
    for unshared in ["NY-SECRET-0042", "Ms Unshared", "Risk grade", "Priority points"]:
        assert unshared not in html, unshared
    assert other.reference not in html and "Unpassed Arms" not in html
    # A note, and no step of the case's.
    assert reverse("sightings:act", args=[passed.public_id, "note"]) in html
    for step in ["claim", "release", "pass-on", "assess", "close", "translate", "hand-off"]:
        assert reverse("sightings:act", args=[passed.public_id, step]) not in html, step
    # Another sighting of the case answers as if it did not exist.
    assert client.get(reverse("sightings:inspect", args=[other.public_id])).status_code == 404


def test_the_receiving_force_may_not_print_export_or_claim_what_was_passed(client, rows):
    sightings, sign_in = rows
    receiving = sign_in(RECEIVING_OFFICER)
    passed, other = sightings["passed"], sightings["other"]
    html = body_of(client.get(reverse("sightings:index")))
    assert f'value="{passed.public_id}"' not in html  # no box to select it for print

    for sighting in (passed, other):  # as if there were no such sightings
        response = client.post(reverse("sightings:print"), {"ids": [sighting.public_id]})
        assert response.status_code == 302 and sighting.reference not in body_of(response)
        assert "Tick at least one sighting first." in messages_of(response)
    exported = body_of(client.get(reverse("sightings:index") + "?export=csv"))
    assert list(csv.reader(io.StringIO(exported)))[1:] == []  # the header alone
    client.post(reverse("sightings:claim_next"))
    client.post(
        reverse("sightings:close_duplicates"),
        {"ids": [passed.public_id], "original": other.reference},
    )
    for sighting in (passed, other):
        sighting.refresh_from_db()
    assert passed.status == Sighting.Status.IN_REVIEW and passed.claimed_by_id != receiving.pk
    assert other.status == Sighting.Status.NEW and other.claimed_by is None
    assert not SightingLogEntry.objects.filter(user=receiving).exists()
    # Their dashboard counts only their own force's sightings as waiting for them.
    dashboard = body_of(client.get(reverse("wagtailadmin_home")))
    assert passed.reference not in dashboard and other.reference not in dashboard


def test_the_queues_appeal_filter_shows_no_more_than_was_passed(client, rows):
    sightings, sign_in = rows
    sign_in(RECEIVING_OFFICER)
    passed, other = sightings["passed"], sightings["other"]
    html = body_of(client.get(reverse("sightings:index"), {"appeal": passed.appeal_id}))
    assert f'<option value="{passed.appeal_id}" selected>' in html
    assert passed.reference in html and other.reference not in html


def test_an_owning_officer_passes_a_sighting_from_its_page_and_both_forces_see_it(client, appeal):
    owning, receiving = person(OWNING_OFFICER), person(RECEIVING_OFFICER)
    sighting = factories.sighting_create(appeal, identity="named", name="Witness Quillon")
    client.force_login(owning)
    page = reverse("sightings:inspect", args=[sighting.public_id])
    form = body_of(client.get(page))
    assert "Pass to another force" in form and "Choose a force" in form
    own = f'<option value="{force(OWNING_FORCE).pk}">'
    assert own not in form and f'<option value="{force(RECEIVING_FORCE).pk}">' in form
    assert "domestic-abuse" not in form

    response = client.post(
        reverse("sightings:act", args=[sighting.public_id, "hand-off"]),
        {"to_force": force(RECEIVING_FORCE).pk, "reason": "  Seen in Leeds.  "},
    )
    assert response["Location"] == page
    assert f"{sighting.reference} is passed to West Yorkshire Police." in messages_of(response)
    passed = sighting.hand_offs.get()
    assert (passed.to_force.slug, passed.handed_by, passed.reason) == (
        RECEIVING_FORCE,
        owning,
        "Seen in Leeds.",
    )
    entry = SightingLogEntry.objects.get(object_id=sighting.pk, action=HANDED_OFF)
    assert (entry.object_id, entry.user) == (sighting.pk, owning)
    assert entry.data == {"to_force": "West Yorkshire Police"}  # not the reason, no reporter

    # Both forces read who passed it, to whom and when, and the audit entry.
    for officer in (owning, receiving):
        client.force_login(officer)
        html = body_of(client.get(page))
        assert "To <strong>West Yorkshire Police</strong>, by Constable" in html
        assert "Passed to West Yorkshire Police by Constable" in html
        history = body_of(client.get(reverse("sightings:history", args=[sighting.public_id])))
        assert "Passed to West Yorkshire Police" in history


def test_passing_to_its_own_force_or_twice_is_refused_and_changes_nothing(client, appeal):
    owning = person(OWNING_OFFICER)
    sighting = factories.sighting_create(appeal)
    with pytest.raises(services.SightingRefused) as refused:
        hand_off(sighting, user=owning, to=OWNING_FORCE)
    assert refused.value.message == (
        "This sighting is North Yorkshire Police's already: choose another force."
    )
    hand_off(sighting, user=owning)
    with pytest.raises(services.SightingRefused) as refused:
        hand_off(sighting, user=owning, reason="Again.")
    assert refused.value.message == "This sighting has already been passed to that force."
    assert sighting.hand_offs.count() == 1
    assert SightingLogEntry.objects.filter(object_id=sighting.pk, action=HANDED_OFF).count() == 1

    # The same from the page: the message, and still one.
    client.force_login(owning)
    response = client.post(
        reverse("sightings:act", args=[sighting.public_id, "hand-off"]),
        {"to_force": force(RECEIVING_FORCE).pk, "reason": "Again."},
    )
    assert "already been passed to that force" in messages_of(response)
    own = client.post(
        reverse("sightings:act", args=[sighting.public_id, "hand-off"]),
        {"to_force": force(OWNING_FORCE).pk, "reason": "Ours."},
    )
    assert own.status_code == 400 and "Select a valid choice" in body_of(own)
    blank = client.post(
        reverse("sightings:act", args=[sighting.public_id, "hand-off"]),
        {"to_force": force(THIRD_FORCE).pk, "reason": "   "},
    )
    assert blank.status_code == 400 and "This field is required" in body_of(blank)
    with pytest.raises(services.SightingRefused, match="Say why you are passing it"):
        hand_off(sighting, user=owning, to=THIRD_FORCE, reason="   ")
    assert sighting.hand_offs.count() == 1
    assert SightingLogEntry.objects.filter(object_id=sighting.pk, action=HANDED_OFF).count() == 1


@pytest.mark.parametrize("who", [RECEIVING_OFFICER, THIRD_OFFICER, roles.CASEWORKERS])
def test_only_the_owning_forces_officers_pass_it_on(appeal, who):
    sighting = factories.sighting_create(appeal)
    hand_off(sighting, user=person(OWNING_OFFICER))
    with pytest.raises(services.SightingRefused, match="Only an officer of the force that owns"):
        hand_off(sighting, user=person(who), to=THIRD_FORCE)
    assert sighting.hand_offs.count() == 1


def test_a_domestic_abuse_case_is_passed_only_on_the_officers_explicit_decision(client, directory):
    appeal = factories.appeal_create(domestic_abuse=True)
    owning = person(OWNING_OFFICER)
    sighting = factories.sighting_create(appeal)
    with pytest.raises(services.SightingRefused, match="domestic-abuse case"):
        hand_off(sighting, user=owning)
    assert not sighting.hand_offs.exists()

    client.force_login(owning)
    url = reverse("sightings:act", args=[sighting.public_id, "hand-off"])
    label = "I have decided this domestic-abuse case may be shared with this force"
    assert label in body_of(client.get(reverse("sightings:inspect", args=[sighting.public_id])))
    refused = client.post(url, {"to_force": force(RECEIVING_FORCE).pk, "reason": "Leeds."})
    assert refused.status_code == 400
    assert "pass it on only once you have decided it may be shared with West Yorkshire" in (
        body_of(refused)
    )
    assert not sighting.hand_offs.exists()
    assert not SightingLogEntry.objects.filter(object_id=sighting.pk, action=HANDED_OFF).exists()

    client.post(
        url,
        {
            "to_force": force(RECEIVING_FORCE).pk,
            "reason": "Leeds.",
            "domestic_abuse_confirmed": "on",
        },
    )
    assert sighting.hand_offs.get().domestic_abuse_confirmed
    # The receiving force never learns the case's flags.
    client.force_login(person(RECEIVING_OFFICER))
    html = body_of(client.get(reverse("sightings:inspect", args=[sighting.public_id])))
    assert "domestic" not in html.lower()


@pytest.fixture
def duty_inboxes():
    PoliceForce.objects.filter(slug=OWNING_FORCE).update(duty_email="duty@nyp.police.invalid")
    PoliceForce.objects.filter(slug=RECEIVING_FORCE).update(duty_email="duty@wyp.police.invalid")
    mail.outbox.clear()


def test_the_receiving_forces_duty_inbox_hears_once_the_hand_off_commits(
    appeal, duty_inboxes, settings, django_capture_on_commit_callbacks
):
    owning = person(OWNING_OFFICER)
    sighting = factories.sighting_create(
        appeal,
        location="Briggate, Leeds",
        identity="named",
        name="Witness Fairweather",
        phone="07700 900456",
    )
    with django_capture_on_commit_callbacks() as callbacks:
        passed = hand_off(sighting, user=owning, reason="Seen in Leeds: Witness Fairweather.")
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()

    (message,) = mail.outbox
    assert message.to == ["duty@wyp.police.invalid"]
    assert message.subject == (
        f"West Yorkshire Police: North Yorkshire Police passed you a sighting "
        f"({sighting.reference})"
    )
    body = message.body
    url = settings.BASE_URL + reverse("sightings:inspect", args=[sighting.public_id])
    assert url in body.split()
    assert "Where: Briggate, Leeds" in body and f"Reference: {sighting.reference}" in body
    assert 'for the appeal "Sighted Sabrina"' in body
    # No more than the owning force's alert says: no reporter, no reason, no case reference.
    for unshared in ["Fairweather", "07700", appeal.case_reference, "Seen in Leeds", "Constable"]:
        assert unshared not in body and unshared not in message.subject, unshared
    passed.refresh_from_db()
    assert passed.alert_sent_at

    # A retried job, or the sweep, sends nothing more.
    assert not services.sighting_hand_off_alert_send(hand_off_id=passed.pk)
    assert services.sighting_hand_offs_sweep(now=timezone.now() + timedelta(minutes=5)) == 0
    assert len(mail.outbox) == 1


def test_a_rolled_back_hand_off_alerts_nobody(
    appeal, duty_inboxes, django_capture_on_commit_callbacks
):
    """The alert is queued on commit: no commit (the caller's transaction rolled back),
    no hand-off and no email."""
    sighting = factories.sighting_create(appeal)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        hand_off(sighting, user=person(OWNING_OFFICER))
        raise RuntimeError("something after it failed")
    assert not sighting.hand_offs.exists() and mail.outbox == []


def test_a_hand_off_alert_whose_worker_died_is_sent_by_the_sweep(appeal, duty_inboxes, monkeypatch):
    """As the owning force's alert: better twice than never. A job holds it for two
    minutes; if it has not recorded it sent by then, the sweep sends it."""
    sighting = factories.sighting_create(appeal)
    passed = hand_off(sighting, user=person(OWNING_OFFICER))  # its job never runs
    send_mail = intake.send_mail

    def killed(**message):
        raise WorkerKilled

    monkeypatch.setattr(intake, "send_mail", killed)
    with pytest.raises(WorkerKilled):
        services.sighting_hand_off_alert_send(hand_off_id=passed.pk)
    monkeypatch.setattr(intake, "send_mail", send_mail)
    assert not services.sighting_hand_off_alert_send(hand_off_id=passed.pk)  # held
    assert services.sighting_hand_offs_sweep(now=timezone.now() + timedelta(minutes=1)) == 0
    assert mail.outbox == []

    assert services.sighting_hand_offs_sweep(now=timezone.now() + timedelta(minutes=3)) == 1
    assert [message.to for message in mail.outbox] == [["duty@wyp.police.invalid"]]
    assert services.sighting_hand_offs_sweep(now=timezone.now() + timedelta(minutes=6)) == 0
    assert len(mail.outbox) == 1


def test_a_force_without_a_duty_inbox_finds_it_in_its_queue(appeal):
    sighting = factories.sighting_create(appeal)
    passed = hand_off(sighting, user=person(OWNING_OFFICER), to=THIRD_FORCE)
    mail.outbox.clear()
    assert not services.sighting_hand_off_alert_send(hand_off_id=passed.pk)
    assert services.sighting_hand_offs_sweep(now=timezone.now() + timedelta(minutes=5)) == 0
    assert mail.outbox == []


def test_a_hand_off_goes_with_its_sighting_at_retention(
    appeal, duty_inboxes, settings, django_capture_on_commit_callbacks
):
    settings.SIGHTING_RETENTION_DAYS = 30
    sighting = factories.sighting_create(appeal)
    passed = hand_off(sighting, user=person(OWNING_OFFICER))
    closed_at = close(appeal).closed_at
    with (
        time_machine.travel(closed_at + timedelta(days=30, minutes=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.sightings_retention_purge() == 1
    assert not SightingHandOff.objects.filter(pk=passed.pk).exists()
    # The audit trail keeps the fact that it was passed, and to whom.
    assert SightingLogEntry.objects.filter(object_id=sighting.pk, action=HANDED_OFF).exists()
    # Its alert, had it not gone yet, is not sent for a sighting that is no more.
    assert not services.sighting_hand_off_alert_send(hand_off_id=passed.pk)
