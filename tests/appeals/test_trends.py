"""Trends and patterns: each publicised episode closed leaves one anonymous statistics row
that the purge leaves alone; staff and a council's designated manager see it counted,
small numbers never shown; a designated manager sees their own children and nothing else."""

import csv
import io
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from appeals import trends
from appeals.models import AppealPage, EpisodeStatistic, ReturnHomeInterview
from appeals.services import appeals_retention_purge, return_home_interview_record
from appeals.services.closing import appeal_expire
from appeals.services.takedown import appeal_takedown_run
from homeward import roles
from homeward.models import PoliceForce
from sightings.models import Sighting
from tests import factories

pytestmark = pytest.mark.django_db

# Nothing in a statistics row may name, date or describe the person.
ANONYMOUS_FIELDS = {
    "id",
    "takedown",
    "missing_month",
    "closed_month",
    "police_force",
    "local_authority",
    "age_band",
    "trafficked",
    "unaccompanied",
    "in_care",
    "risk_level",
    "outcome",
    "episode_number",
    "days_missing",
    "days_from_arrival",
    "sightings",
    "median_minutes_to_triage",
    "takedown_seconds",
    "return_home",
}


def council(name="Fictional Borough Council"):
    return factories.local_authority_create(name)


def statistic_create(**fields) -> EpisodeStatistic:
    month = timezone.localdate().replace(day=1)
    return EpisodeStatistic.objects.create(
        **{
            "missing_month": month,
            "closed_month": month,
            "police_force": PoliceForce.objects.get(slug="north-yorkshire-police"),
            "age_band": "15 to 17",
            "trafficked": False,
            "unaccompanied": False,
            "in_care": False,
            "risk_level": "medium",
            "outcome": "found",
            "days_missing": 3,
            **fields,
        }
    )


# Written at closing


def test_closing_a_publicised_appeal_writes_one_anonymous_row(directory):
    arrived = timezone.localdate() - timedelta(days=40)
    appeal = factories.appeal_create(
        title="Statistic Sorrel",
        age_when_missing=15,
        unaccompanied_asylum_seeking=True,
        local_authority=council(),
        arrived_in_uk_on=arrived,
    )
    takedown = factories.appeal_closed(appeal)
    statistic = EpisodeStatistic.objects.get()
    assert {field.name for field in EpisodeStatistic._meta.concrete_fields} == ANONYMOUS_FIELDS
    assert statistic.takedown == takedown
    assert statistic.age_band == "15 to 17"
    assert statistic.unaccompanied and not statistic.trafficked
    assert statistic.local_authority.name == "Fictional Borough Council"
    assert statistic.risk_level == "high"
    assert statistic.outcome == "found"
    assert statistic.missing_month == appeal.missing_since.replace(day=1)
    assert statistic.days_missing == (timezone.localdate() - appeal.missing_since).days
    assert statistic.days_from_arrival == (appeal.missing_since - arrived).days
    assert statistic.return_home == EpisodeStatistic.ReturnHome.OUTSTANDING


def test_an_appeal_never_published_is_not_counted(directory):
    factories.appeal_closed(factories.appeal_create(publish=False), outcome="withdrawn")
    assert not EpisodeStatistic.objects.exists()


def test_an_expired_appeal_is_counted_once_when_it_is_closed(directory):
    appeal = factories.appeal_create()
    appeal_expire(appeal=appeal)
    assert not EpisodeStatistic.objects.exists()
    factories.appeal_closed(AppealPage.objects.get(pk=appeal.pk), outcome="withdrawn")
    assert EpisodeStatistic.objects.get().return_home == ""


def test_the_takedown_time_is_filled_in_once_when_it_completes(directory):
    takedown = factories.appeal_closed(factories.appeal_create())
    appeal_takedown_run(takedown_id=takedown.pk)  # the steps a worker runs
    takedown.refresh_from_db()
    statistic = EpisodeStatistic.objects.get()
    assert takedown.completed_at is not None
    expected = int((takedown.completed_at - takedown.closed_at).total_seconds())
    assert statistic.takedown_seconds == expected
    assert not appeal_takedown_run(takedown_id=takedown.pk)  # done already: nothing changes
    statistic.refresh_from_db()
    assert statistic.takedown_seconds == expected


def test_sightings_and_how_soon_they_were_taken_up_are_counted(directory):
    appeal = factories.appeal_create()
    sightings = [factories.sighting_create(appeal) for _ in range(3)]
    received = sightings[0].received_at
    for minutes, sighting in zip((10, 30), sightings[:2], strict=True):
        Sighting.objects.filter(pk=sighting.pk).update(
            received_at=received, claimed_at=received + timedelta(minutes=minutes)
        )
    factories.appeal_closed(appeal)
    statistic = EpisodeStatistic.objects.get()
    assert statistic.sightings == 3
    assert statistic.median_minutes_to_triage == 20  # the third was never taken up


@pytest.mark.parametrize(
    ("hours_to_held", "not_held", "expected"),
    [(20, "", "in-time"), (80, "", "late"), (None, "declined", "not-held")],
)
def test_the_return_home_interview_outcome_is_counted(directory, hours_to_held, not_held, expected):
    appeal = factories.appeal_create(age_when_missing=13)
    factories.appeal_closed(appeal)
    interview = ReturnHomeInterview.objects.get(appeal=appeal)
    held_at = interview.found_at + timedelta(hours=hours_to_held) if hours_to_held else None
    with time_machine.travel(interview.found_at + timedelta(days=5)):
        return_home_interview_record(
            interview=interview,
            user=factories.user_create(role=roles.CASEWORKERS),
            offered_by="local-authority" if held_at else "",
            offered_by_name="",
            offered_at=interview.found_at + timedelta(hours=1) if held_at else None,
            held_at=held_at,
            not_held_reason=not_held,
        )
    assert EpisodeStatistic.objects.get().return_home == expected


def test_the_purge_leaves_the_row_and_cuts_its_only_link_to_the_appeal(directory, settings):
    appeal = factories.appeal_create(
        title="Forgotten Fennimore", in_care=True, arrived_in_uk_on=date(2020, 1, 1)
    )
    factories.appeal_closed(appeal)
    before = EpisodeStatistic.objects.values(*ANONYMOUS_FIELDS - {"takedown"}).get()
    with time_machine.travel(timezone.now() + timedelta(days=settings.APPEAL_RETENTION_DAYS + 1)):
        assert appeals_retention_purge() == 1
    statistic = EpisodeStatistic.objects.get()
    assert statistic.takedown is None
    assert EpisodeStatistic.objects.values(*ANONYMOUS_FIELDS - {"takedown"}).get() == before
    purged = AppealPage.objects.get(pk=appeal.pk)
    assert purged.local_authority is None and purged.arrived_in_uk_on is None


# Rules of the new fields


def test_a_child_in_care_needs_their_local_authority(directory):
    appeal = factories.appeal_build(in_care=True)
    appeal.local_authority = None
    with pytest.raises(ValidationError) as refused:
        appeal.full_clean()
    assert "local authority responsible" in str(refused.value.message_dict["local_authority"])


def test_they_arrived_before_they_went_missing(directory):
    appeal = factories.appeal_build(unaccompanied_asylum_seeking=True)
    appeal.arrived_in_uk_on = appeal.missing_since + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        appeal.full_clean()
    assert "arrived before" in str(refused.value.message_dict["arrived_in_uk_on"])


# Counting, and small numbers


def test_every_count_under_5_is_shown_as_fewer_than_5():
    assert [trends.count_shown(n) for n in (0, 1, 4, 5, 1234)] == [
        "0",
        "fewer than 5",
        "fewer than 5",
        "5",
        "1,234",
    ]


def test_a_suppressed_bar_is_not_drawn_to_scale():
    breakdown = trends.Breakdown("x", "X", "", [("Few", 3), ("Many", 40), ("None", 0)])
    few, many, none = breakdown.bars
    assert not few.drawn and few.shown_as == "fewer than 5"
    assert many.drawn and none.drawn


def test_months_back_cross_the_year():
    assert trends.months_back(until=date(2026, 2, 14), count=3) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


# Who sees trends, and what


@pytest.fixture
def two_councils_figures():
    ours, theirs = council("Ours Borough Council"), council("Theirs District Council")
    for _ in range(7):
        statistic_create(local_authority=ours, in_care=True)
    for _ in range(3):
        statistic_create(local_authority=theirs, trafficked=True)
    return ours, theirs


def designated_manager(local_authority):
    return factories.user_create(
        role=roles.LOCAL_AUTHORITY_MANAGERS, local_authority=local_authority
    )


TRENDS_MATRIX = [
    ("anonymous", None),
    (roles.EDITORS, None),
    (roles.PUBLISHERS, None),
    (roles.SAFEGUARDING_LEADS, 10),
    (roles.CASEWORKERS, 10),
    (roles.ADMINISTRATORS, 10),
    ("police", None),
    ("designated manager", 7),
    ("designated manager without a council", None),
]


def member_of_staff(who, local_authority):
    if who == "anonymous":
        return None
    if who == "police":
        return factories.user_create(
            role=roles.POLICE_OFFICERS, force_slug="north-yorkshire-police"
        )
    if who == "designated manager":
        return designated_manager(local_authority)
    if who == "designated manager without a council":
        return factories.user_create(role=roles.LOCAL_AUTHORITY_MANAGERS)
    return factories.user_create(role=who)


@pytest.mark.parametrize(("who", "episodes"), TRENDS_MATRIX)
def test_trends_matrix(client, two_councils_figures, who, episodes):
    ours, _ = two_councils_figures
    user = member_of_staff(who, ours)
    if user:
        client.force_login(user)
    page = client.get(reverse("appeals_trends"))
    exported = client.get(reverse("appeals_trends_csv"))
    if episodes is None:
        assert page.status_code in (302, 403) and exported.status_code in (302, 403)
        return
    assert page.status_code == 200 and exported.status_code == 200
    assert "Publicised cases only" in page.content.decode()
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    per_month = [row for row in rows if row[0] == "Episodes closed, by month"]
    assert per_month[-1][2] == str(episodes)
    councils = {row[1]: row[2] for row in rows if row[0] == "By local authority"}
    if episodes == 7:  # their own council's children only
        assert councils == {"Ours Borough Council": "7"}
    else:
        assert councils == {"Ours Borough Council": "7", "Theirs District Council": "fewer than 5"}


def test_small_numbers_never_reach_the_page_or_the_csv(client, two_councils_figures):
    client.force_login(factories.user_create(role=roles.CASEWORKERS))
    query = {"flag": "trafficked"}
    page = client.get(reverse("appeals_trends"), query).content.decode()
    exported = client.get(reverse("appeals_trends_csv"), query).content.decode()
    for text in (page, exported):
        assert "fewer than 5" in text
    rows = list(csv.reader(io.StringIO(exported)))
    assert {row[2] for row in rows[1:]} <= {"0", "fewer than 5"}
    assert "<td>3</td>" not in page


def test_a_designated_manager_cannot_widen_their_view_by_the_query_string(
    client, two_councils_figures
):
    ours, theirs = two_councils_figures
    client.force_login(designated_manager(ours))
    exported = client.get(reverse("appeals_trends_csv"), {"local_authority": theirs.pk})
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert [row[2] for row in rows if row[0] == "Episodes closed, by month"][-1] == "7"


@pytest.mark.parametrize(
    "query",
    [{"months": "999"}, {"police_force": "x"}, {"flag": "<script>"}, {"local_authority": "-1"}],
)
def test_bad_filters_are_ignored_not_a_500(client, two_councils_figures, query):
    client.force_login(factories.user_create(role=roles.ADMINISTRATORS))
    assert client.get(reverse("appeals_trends"), query).status_code == 200


# A designated manager's own children


@pytest.fixture
def children_of_two_councils(directory):
    ours, theirs = council("Ours Borough Council"), council("Theirs District Council")
    mine = factories.appeal_create(title="Ourchild Alder", in_care=True, local_authority=ours)
    other = factories.appeal_create(title="Otherchild Birch", in_care=True, local_authority=theirs)
    for appeal in (mine, other):
        factories.appeal_closed(appeal)
    return ours, mine, other


def test_a_designated_manager_sees_their_own_childrens_episodes_only(
    client, children_of_two_councils
):
    ours, mine, _ = children_of_two_councils
    client.force_login(designated_manager(ours))
    page = client.get(reverse("appeals_local_authority_episodes")).content.decode()
    assert "Ourchild Alder" in page and "Otherchild Birch" not in page
    assert mine.case_reference not in page  # the police's, not theirs


@pytest.mark.parametrize(
    "who",
    [
        roles.EDITORS,
        roles.CASEWORKERS,
        roles.ADMINISTRATORS,
        "police",
        "designated manager without a council",
    ],
)
def test_nobody_else_has_the_episodes_list(client, children_of_two_councils, who):
    client.force_login(member_of_staff(who, None))
    response = client.get(reverse("appeals_local_authority_episodes"))
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_a_designated_manager_sees_and_records_their_childrens_interviews_only(
    client, children_of_two_councils
):
    ours, mine, other = children_of_two_councils
    manager = designated_manager(ours)
    client.force_login(manager)
    mine_interview = ReturnHomeInterview.objects.get(appeal=mine)
    other_interview = ReturnHomeInterview.objects.get(appeal=other)
    listing = client.get(reverse("appeals_return_home:index")).content.decode()
    assert "Ourchild Alder" in listing and "Otherchild Birch" not in listing
    for view in ("edit", "history"):
        url = reverse(f"appeals_return_home:{view}", args=[other_interview.pk])
        assert client.get(url).status_code == 404
    with time_machine.travel(mine_interview.found_at + timedelta(hours=30)):
        return_home_interview_record(
            interview=mine_interview,
            user=manager,
            offered_by="local-authority",
            offered_by_name="Ours Borough Council",
            offered_at=mine_interview.found_at + timedelta(hours=2),
            held_at=mine_interview.found_at + timedelta(hours=26),
            not_held_reason="",
        )
    assert EpisodeStatistic.objects.get(takedown__appeal=mine).return_home == "in-time"


def test_a_designated_managers_dashboard_shows_their_childrens_interviews_due(
    client, children_of_two_councils
):
    ours, _, _ = children_of_two_councils
    client.force_login(designated_manager(ours))
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Return home interviews due" in dashboard
    assert "Ourchild Alder" in dashboard and "Otherchild Birch" not in dashboard


def test_recording_in_the_admin_goes_through_the_service(client, children_of_two_councils):
    ours, mine, _ = children_of_two_councils
    client.force_login(designated_manager(ours))
    found = timezone.now() - timedelta(hours=40)
    ReturnHomeInterview.objects.filter(appeal=mine).update(
        found_at=found, due_by=found + timedelta(hours=72)
    )
    interview = ReturnHomeInterview.objects.get(appeal=mine)
    offered = timezone.localtime(found + timedelta(hours=2))
    response = client.post(
        reverse("appeals_return_home:edit", args=[interview.pk]),
        {
            "offered_by": "local-authority",
            "offered_by_name": "Ours Borough Council",
            "offered_at": offered.strftime("%Y-%m-%dT%H:%M"),
            "held_at": (offered + timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M"),
            "not_held_reason": "",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("appeals_return_home:index")
    assert EpisodeStatistic.objects.get(takedown__appeal=mine).return_home == "in-time"
    assert ModelLogEntry.objects.filter(action="homeward.return_home.recorded").exists()
