"""The police triage queue: who sees what, the queue's order, working a sighting, audit."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from appeals.models import AppealPage
from homeward import roles
from homeward.models import PoliceForce
from sightings import services
from sightings.models import Sighting, SightingLogEntry, SightingNote, ThriveAssessment
from sightings.selectors import sighting_queue
from tests import factories
from tests.sightings.conftest import OWNING_FORCE, WHO_SEES_SIGHTINGS, login_as

pytestmark = pytest.mark.django_db

THRIVE = {
    "threat": "Seen near the canal late at night.",
    "harm": "Risk of drowning or exploitation.",
    "risk": "Likely: matches earlier sightings.",
    "risk_grade": "high",
    "investigation": "Check the canal-side cameras.",
    "vulnerability": "Fifteen, in care, no money.",
    "engagement": "Canal patrol and the care home.",
}


@pytest.fixture
def officer():
    return factories.user_create(
        role=roles.POLICE_OFFICERS, force_slug=OWNING_FORCE, first_name="Officer", last_name="One"
    )


@pytest.fixture
def colleague():
    return factories.user_create(
        role=roles.POLICE_OFFICERS, force_slug=OWNING_FORCE, first_name="Officer", last_name="Two"
    )


@pytest.fixture
def sighting(appeal):
    return factories.sighting_create(
        appeal, photo=True, identity="named", name="Witness Quillon", phone="07700 900123"
    )


def messages_of(response) -> str:
    """Every message waiting for the person, this response's last."""
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def test_a_caseworker_sees_but_cannot_work_a_sighting(client, sighting):
    login_as(client, roles.CASEWORKERS)
    response = client.post(
        reverse("sightings:act", args=[sighting.public_id, "claim"]), follow=True
    )
    assert "Only an officer of the force that owns this case" in response.content.decode()
    sighting.refresh_from_db()
    assert sighting.claimed_by is None


def test_the_queue_puts_urgent_first_then_priority(client, officer, directory):
    now = timezone.now()
    high = factories.appeal_create(risk_level=AppealPage.RiskLevel.HIGH)
    low = factories.appeal_create(risk_level=AppealPage.RiskLevel.LOW)
    with_them = factories.sighting_create(low, with_them_now=True)
    high_old = factories.sighting_create(high)
    Sighting.objects.filter(pk=high_old.pk).update(
        received_at=now - timedelta(hours=9), queue_rank=now + timedelta(hours=3)
    )
    low_new = factories.sighting_create(low)
    low_photo = factories.sighting_create(low, photo=True)
    order = list(sighting_queue(user=officer).values_list("pk", flat=True))
    # urgent first; a high-risk sighting from 9 hours ago (12 points) still beats fresh
    # low-risk ones; a photo (2 points) beats no photo.
    assert order == [with_them.pk, high_old.pk, low_photo.pk, low_new.pk]

    client.force_login(officer)
    html = client.get(reverse("sightings:index")).content.decode()
    assert html.index(with_them.reference) < html.index(low_new.reference)
    assert "waiting" in html and "Urgent: with them now" in html


def test_corroboration_raises_sightings_seen_near_in_time_and_place(appeal):
    seen = timezone.now() - timedelta(hours=1)
    first = factories.sighting_create(appeal, seen_at=seen, latitude=54.0, longitude=-1.5)
    near = factories.sighting_create(
        appeal, seen_at=seen + timedelta(minutes=30), latitude=54.005, longitude=-1.5
    )
    far = factories.sighting_create(appeal, seen_at=seen, latitude=51.5, longitude=-0.1)
    for sighting in (first, near, far):
        services.sighting_corroborate(sighting_id=sighting.pk)
    assert services.sighting_corroborate(sighting_id=near.pk) == 0  # once only
    first.refresh_from_db()
    near.refresh_from_db()
    far.refresh_from_db()
    assert (first.corroborations, near.corroborations, far.corroborations) == (1, 1, 0)
    assert first.priority_points == far.priority_points + 2
    assert first.queue_rank - first.received_at == timedelta(hours=first.priority_points)


def listed(client, sightings, **params) -> set:
    """Which of ``sightings`` the queue lists with these filters (Wagtail's filter set)."""
    html = client.get(reverse("sightings:index"), params).content.decode()
    return {sighting.pk for sighting in sightings if sighting.reference in html}


def test_queue_filters(client, officer, appeal, directory):
    other = factories.appeal_create()
    urgent = factories.sighting_create(appeal, with_them_now=True)
    mine = factories.sighting_create(appeal)
    services.sighting_claim(sighting=mine, user=officer)
    plain = factories.sighting_create(other, location="By the clock tower")
    old = factories.sighting_create(other)
    Sighting.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=5))
    closed = factories.sighting_create(other)
    Sighting.objects.filter(pk=closed.pk).update(
        status=Sighting.Status.CLOSED,
        close_reason=Sighting.CloseReason.ACTIONED,
        closed_at=timezone.now(),
    )
    every = [urgent, mine, plain, old, closed]
    client.force_login(officer)

    assert listed(client, every) == {urgent.pk, mine.pk, plain.pk, old.pk}
    assert listed(client, every, appeal=appeal.pk) == {urgent.pk, mine.pk}
    assert listed(client, every, urgency="urgent") == {urgent.pk}
    assert listed(client, every, urgency="other") == {mine.pk, plain.pk, old.pk}
    assert listed(client, every, assignment="mine") == {mine.pk}
    assert listed(client, every, assignment="unassigned") == {urgent.pk, plain.pk, old.pk}
    assert listed(client, every, status="in-review") == {mine.pk}
    assert listed(client, every, status="closed") == {closed.pk}
    assert listed(client, every, status="any") == {s.pk for s in every}
    before = (timezone.localdate() - timedelta(days=2)).isoformat()
    assert listed(client, every, received_at_to=before) == {old.pk}
    assert listed(client, every, q="clock tower") == {plain.pk}
    assert listed(client, every, q=plain.reference.lower()) == {plain.pk}
    # A filter not understood is left out; closed sightings still stay out.
    assert listed(client, every, received_at_from="not a date") == {s.pk for s in every[:4]}
    # An officer filters by their force's appeals only, and has no force filter.
    html = client.get(reverse("sightings:index")).content.decode()
    assert 'name="police_force"' not in html and 'name="appeal"' in html


def test_a_caseworker_filters_by_force(client, appeal, directory):
    kent = factories.appeal_create(police_force=PoliceForce.objects.get(slug="kent-police"))
    ours, theirs = factories.sighting_create(appeal), factories.sighting_create(kent)
    login_as(client, roles.CASEWORKERS)
    assert listed(client, [ours, theirs]) == {ours.pk, theirs.pk}
    assert listed(client, [ours, theirs], police_force=kent.police_force_id) == {theirs.pk}


def test_the_queue_is_in_pages_of_fifty(client, officer, appeal):
    sightings = [factories.sighting_create(appeal) for _ in range(51)]
    client.force_login(officer)
    first = listed(client, sightings)
    second = listed(client, sightings, p=2)
    assert len(first) == 50 and len(second) == 1 and not first & second
    assert "Page 1 of 2" in client.get(reverse("sightings:index")).content.decode()


def test_an_officer_claims_assesses_and_passes_on(client, officer, sighting):
    client.force_login(officer)
    detail = reverse("sightings:inspect", args=[sighting.public_id])
    assert "Claim this sighting" in client.get(detail).content.decode()
    client.post(reverse("sightings:act", args=[sighting.public_id, "claim"]))
    sighting.refresh_from_db()
    assert sighting.claimed_by == officer and sighting.status == Sighting.Status.IN_REVIEW

    response = client.post(reverse("sightings:act", args=[sighting.public_id, "assess"]), THRIVE)
    assert response.status_code == 302
    assert ThriveAssessment.objects.get(sighting=sighting).risk_grade == "high"
    client.post(reverse("sightings:act", args=[sighting.public_id, "pass-on"]))
    sighting.refresh_from_db()
    assert sighting.status == Sighting.Status.PASSED_ON
    client.post(
        reverse("sightings:act", args=[sighting.public_id, "close"]), {"reason": "actioned"}
    )
    sighting.refresh_from_db()
    assert sighting.status == Sighting.Status.CLOSED and sighting.closed_at

    actions = list(
        SightingLogEntry.objects.for_instance(sighting)
        .order_by("timestamp")
        .values_list("action", "user")
    )
    assert [action for action, _ in actions] == [
        "homeward.sighting.viewed",
        "homeward.sighting.claimed",
        "homeward.sighting.assessed",
        "homeward.sighting.passed_on",
        "homeward.sighting.closed",
    ]
    assert {user for _, user in actions} == {officer.pk}


@pytest.mark.parametrize(
    ("action", "data", "claimed", "message"),
    [
        ("pass-on", {}, False, "Claim this sighting before you work on it."),
        ("assess", THRIVE, False, "Claim this sighting before you work on it."),
        ("close", {"reason": "actioned"}, False, "Claim this sighting before you work on it."),
        ("close", {"reason": ""}, True, "correct the problems shown below"),
        ("close", {"reason": "shrug"}, True, "correct the problems shown below"),
        ("close", {"reason": "duplicate"}, True, "Say which sighting this one repeats."),
        ("close", {"reason": "duplicate", "duplicate_of": "S-ZZZZ-ZZZZ"}, True, "no sighting"),
        ("close", {"reason": "actioned", "duplicate_of": "self"}, True, "Only a duplicate"),
        ("close", {"reason": "duplicate", "duplicate_of": "self"}, True, "of itself"),
        ("assess", {**THRIVE, "threat": ""}, True, "correct the problems shown below"),
        ("note", {"text": "   "}, True, "correct the problems shown below"),
        ("no-such-step", {}, True, None),
    ],
)
def test_steps_that_are_not_allowed_are_explained_and_change_nothing(
    client, officer, sighting, action, data, claimed, message
):
    if claimed:
        services.sighting_claim(sighting=sighting, user=officer)
    data = {key: sighting.reference if value == "self" else value for key, value in data.items()}
    before = Sighting.objects.filter(pk=sighting.pk).values().get()
    client.force_login(officer)
    response = client.post(reverse("sightings:act", args=[sighting.public_id, action]), data)
    if message is None:
        assert response.status_code == 404
    else:
        shown = messages_of(response) + response.content.decode()
        assert message in shown
    assert Sighting.objects.filter(pk=sighting.pk).values().get() == before
    assert not ThriveAssessment.objects.exists() and not SightingNote.objects.exists()


def test_two_officers_cannot_hold_the_same_sighting(client, officer, colleague, sighting):
    services.sighting_claim(sighting=sighting, user=officer)
    client.force_login(colleague)
    response = client.post(reverse("sightings:act", args=[sighting.public_id, "claim"]))
    assert "Officer One has already claimed this sighting" in messages_of(response)
    response = client.post(reverse("sightings:act", args=[sighting.public_id, "pass-on"]))
    assert "only they can work on it" in messages_of(response)
    sighting.refresh_from_db()
    assert sighting.claimed_by == officer and sighting.status == Sighting.Status.IN_REVIEW
    # Releasing gives it back; then the colleague may claim it.
    services.sighting_release(sighting=sighting, user=officer)
    assert services.sighting_claim(sighting=sighting, user=colleague).claimed_by == colleague


def test_claim_next_takes_the_top_unclaimed_sighting(client, officer, appeal):
    first = factories.sighting_create(appeal, with_them_now=True)
    second = factories.sighting_create(appeal)
    client.force_login(officer)
    response = client.post(reverse("sightings:claim_next"))
    assert response["Location"] == reverse("sightings:inspect", args=[first.public_id])
    assert services.sighting_claim_next(user=officer) == second
    assert services.sighting_claim_next(user=officer) is None
    # Each claim is in the audit log, written as Wagtail's log() writes any entry.
    for sighting in (first, second):
        (entry,) = SightingLogEntry.objects.for_instance(sighting)
        assert (entry.action, entry.user, entry.label) == (
            "homeward.sighting.claimed",
            officer,
            sighting.reference,
        )
        assert entry.content_type.model_class() is Sighting and entry.data == {}
    response = client.post(reverse("sightings:claim_next"), follow=True)
    assert "There are no unclaimed new sightings" in response.content.decode()


def test_closing_duplicates_in_bulk_is_all_or_nothing(client, officer, colleague, appeal):
    original = factories.sighting_create(appeal)
    copies = [factories.sighting_create(appeal) for _ in range(3)]
    services.sighting_claim(sighting=copies[2], user=colleague)
    client.force_login(officer)
    url = reverse("sightings:close_duplicates")
    data = {"original": original.reference, "ids": [copy.public_id for copy in copies]}
    response = client.post(url, data)
    assert f"{copies[2].reference} (claimed by Officer Two)" in messages_of(response)
    assert Sighting.objects.filter(status=Sighting.Status.CLOSED).count() == 0

    services.sighting_release(sighting=copies[2], user=colleague)
    response = client.post(url, data)
    assert f"Closed 3 as duplicates of {original.reference}" in messages_of(response)
    assert set(original.duplicates.values_list("pk", flat=True)) == {c.pk for c in copies}
    assert set(
        Sighting.objects.filter(pk__in=[c.pk for c in copies]).values_list(
            "close_reason", "claimed_by"
        )
    ) == {("duplicate", officer.pk)}
    # A duplicate of a duplicate points at the first: no chains.
    later = factories.sighting_create(appeal)
    services.sighting_claim(sighting=later, user=officer)
    with pytest.raises(services.SightingRefused, match="itself a duplicate"):
        services.sighting_close(
            sighting=later, user=officer, reason="duplicate", duplicate_of=copies[0]
        )


def test_export_as_csv_xlsx_and_for_print_is_audited(client, officer, appeal):
    tricky = factories.sighting_create(
        appeal, description='=HYPERLINK("http://evil.invalid")', identity="named", name="Ann"
    )
    plain = factories.sighting_create(appeal)
    other_force = factories.appeal_create(police_force=PoliceForce.objects.get(slug="kent-police"))
    theirs = factories.sighting_create(other_force)
    client.force_login(officer)
    response = client.get(reverse("sightings:index"), {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    # The whole queue as filtered (another force's sighting is never in it), oldest first.
    assert [row["Reference"] for row in rows] == [tricky.reference, plain.reference]
    assert rows[0]["What they saw"].startswith("'=")  # never runs as a spreadsheet formula
    assert rows[0]["Reporter"] == "Ann" and rows[1]["Reporter"] == "Anonymous"
    assert rows[0]["Police force"] == str(appeal.police_force)
    filtered = client.get(reverse("sightings:index"), {"export": "csv", "q": plain.reference})
    assert tricky.reference not in b"".join(filtered.streaming_content).decode()

    response = client.get(reverse("sightings:index"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = {cell.value for row in sheet.iter_rows() for cell in row}
    assert tricky.reference in cells and theirs.reference not in cells
    assert next(c for c in sheet.iter_rows() if c[0].value == tricky.reference)[10].data_type == "s"

    response = client.post(reverse("sightings:print"), {"ids": [plain.public_id]})
    assert plain.reference in response.content.decode()
    logged = SightingLogEntry.objects.filter(action="homeward.sighting.exported", user=officer)
    assert sorted(logged.values_list("data__format", flat=True)) == [
        "csv",
        "csv",
        "csv",
        "print",
        "xlsx",
        "xlsx",
    ]
    # Someone else's sighting in the selection: nothing is printed.
    response = client.post(reverse("sightings:print"), {"ids": [plain.public_id, theirs.public_id]})
    assert response.status_code == 404
    assert logged.count() == 6


def test_a_sighting_follows_its_appeal_to_another_force(directory, officer):
    appeal = factories.appeal_create(publish=False)
    sighting = factories.sighting_create(appeal)
    kent = PoliceForce.objects.get(slug="kent-police")
    appeal.police_force = kent
    appeal.save()
    sighting.refresh_from_db()
    assert sighting.police_force == kent
    assert not sighting_queue(user=officer).exists()


@pytest.mark.parametrize("who", [who for who, allowed in WHO_SEES_SIGHTINGS if not allowed])
def test_a_photo_someone_may_not_see_answers_as_its_sighting_does(client, sighting, who):
    """Another force's officer finds neither (a refusal would say it exists); staff
    without a sightings role are turned away from both alike."""
    login_as(client, who)
    detail = client.get(reverse("sightings:inspect", args=[sighting.public_id]))
    photo = client.get(reverse("sightings:photo", args=[sighting.public_id]))
    assert photo.status_code == detail.status_code
    if who == "police of another force":
        assert photo.status_code == 404
