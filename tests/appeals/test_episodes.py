"""One person across episodes: staff link an appeal to the same person's earlier ones
(suggested, then confirmed), the check and the police see the history, and retention
keeps of a purged episode only its dates and outcome, and only while another is kept."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from appeals.episodes import episode_history, episode_matches
from appeals.models import AppealPage, EpisodeStatistic, Person, PersonEpisode, PublicityCheck
from appeals.services import appeals_retention_purge, publicity_check_complete
from appeals.services.episodes import appeal_episode_link, appeal_episode_unlink
from homeward import roles
from tests import factories

pytestmark = pytest.mark.django_db

BORN = date(2011, 4, 9)


@pytest.fixture
def editor():
    return factories.user_create(role=roles.EDITORS)


@pytest.fixture
def earlier_episodes(directory):
    """Two earlier public appeals for Linnea Quarrie, both closed, found."""
    episodes = []
    for days in (400, 200):
        appeal = factories.appeal_create(
            title="Linnea Quarrie",
            date_of_birth=BORN,
            missing_since=timezone.localdate() - timedelta(days=days),
        )
        factories.appeal_closed(appeal)
        episodes.append(AppealPage.objects.get(pk=appeal.pk))
    return episodes


@pytest.fixture
def third(directory):
    return factories.appeal_create(
        title="Linnea Quarrie", date_of_birth=BORN, publish=False, missing_since=date.today()
    )


def check_complete(appeal, **answers):
    """The safety check of the appeal's latest revision, its workflow already started."""
    appeal = AppealPage.objects.get(pk=appeal.pk)
    return publicity_check_complete(
        task_state=appeal.current_workflow_task_state,
        user=factories.staff(roles.SAFEGUARDING_LEADS),
        revision_id=appeal.get_latest_revision().pk,
        answers=factories.check_answers(appeal.get_latest_revision_as_object(), **answers),
    )


def link_all(third, earlier_episodes, user):
    for earlier in earlier_episodes:
        appeal_episode_link(appeal=third, earlier=earlier, user=user)


# Suggested, then confirmed


def test_the_same_name_or_date_of_birth_is_suggested(directory, third, earlier_episodes, editor):
    factories.appeal_create(title="Joanna Linneaby", publish=False)  # "Linnea" inside a word
    factories.appeal_create(title="Otto Quarrie-Smith", publish=False)  # not both names
    born_same_day = factories.appeal_create(title="Other Name", date_of_birth=BORN, publish=False)
    suggested = episode_matches(appeal=third, user=editor)
    assert {appeal.pk for appeal in suggested} == {
        *(episode.pk for episode in earlier_episodes),
        born_same_day.pk,
    }


def test_a_search_needs_both_name_and_date_of_birth_to_match(
    directory, third, earlier_episodes, editor
):
    assert episode_matches(appeal=third, user=editor, name="linnea quarrie", date_of_birth=BORN)
    assert not episode_matches(
        appeal=third, user=editor, name="Linnea Quarrie", date_of_birth=date(2010, 1, 1)
    )


def test_police_find_only_their_own_forces_appeals(directory, third, earlier_episodes):
    kent = factories.user_create(role=roles.POLICE_OFFICERS, force_slug="kent-police")
    assert episode_matches(appeal=third, user=kent, name="Linnea Quarrie") == []


def test_linking_makes_one_person_of_every_episode(directory, third, earlier_episodes, editor):
    link_all(third, earlier_episodes, editor)
    assert Person.objects.count() == 1
    history = episode_history(appeal=third)
    assert [episode.appeal.pk for episode in history] == [e.pk for e in earlier_episodes]
    assert all(episode.publicised and not episode.purged for episode in history)
    assert episode_matches(appeal=third, user=editor) == []  # linked: no longer suggested
    with pytest.raises(ValidationError, match="already"):
        appeal_episode_link(appeal=third, earlier=earlier_episodes[0], user=editor)


def test_two_people_found_to_be_one_are_merged(directory, third, earlier_episodes, editor):
    fourth = factories.appeal_create(title="Linnea Quarrie", publish=False)
    appeal_episode_link(appeal=third, earlier=earlier_episodes[0], user=editor)
    appeal_episode_link(appeal=fourth, earlier=earlier_episodes[1], user=editor)
    assert Person.objects.count() == 2
    appeal_episode_link(appeal=fourth, earlier=third, user=editor)
    assert Person.objects.count() == 1
    assert PersonEpisode.objects.filter(person=Person.objects.get()).count() == 4


def test_a_mistaken_link_is_undone(directory, third, earlier_episodes, editor):
    appeal_episode_link(appeal=third, earlier=earlier_episodes[0], user=editor)
    appeal_episode_unlink(appeal=third, user=editor)
    assert not Person.objects.exists() and not PersonEpisode.objects.exists()
    with pytest.raises(ValidationError):
        appeal_episode_unlink(appeal=third, user=editor)


# Who may link, and see the history

WHO_LINKS = [
    ("anonymous", "sign in"),
    (roles.EDITORS, "links"),
    (roles.PUBLISHERS, "links"),
    (roles.ADMINISTRATORS, "links"),
    (roles.SAFEGUARDING_LEADS, "refused"),
    (roles.CASEWORKERS, "refused"),
    (roles.LOCAL_AUTHORITY_MANAGERS, "not found"),
    ("police of the owning force", "links"),
    ("police of another force", "not found"),
]


@pytest.mark.parametrize(("who", "outcome"), WHO_LINKS)
def test_who_may_link_episodes(client, directory, third, earlier_episodes, who, outcome):
    if who.startswith("police"):
        force = "north-yorkshire-police" if "owning" in who else "kent-police"
        user = factories.user_create(role=roles.POLICE_OFFICERS, force_slug=force)
    elif who != "anonymous":
        user = factories.user_create(role=who)
    if who != "anonymous":
        client.force_login(user)
    url = reverse("appeals_episodes", args=[third.pk])
    page = client.get(url)
    posted = client.post(url, {"earlier": earlier_episodes[0].pk})
    linked = PersonEpisode.objects.exists()
    if outcome == "links":
        assert page.status_code == 200 and "Linnea Quarrie" in page.content.decode()
        assert posted.status_code == 302 and linked
        return
    assert not linked
    if outcome == "not found":
        assert page.status_code == posted.status_code == 404
    elif outcome == "sign in":
        assert "/login/" in page.url and "/login/" in posted.url
    else:
        assert page.status_code == posted.status_code == 302
        assert page.url == reverse("wagtailadmin_home")
        with pytest.raises(PermissionDenied):
            appeal_episode_link(appeal=third, earlier=earlier_episodes[0], user=user)


@pytest.mark.parametrize("earlier", ["x", "-1", "", "99999999"])
def test_a_made_up_appeal_to_link_is_a_404_and_changes_nothing(
    client, directory, third, editor, earlier
):
    client.force_login(editor)
    response = client.post(reverse("appeals_episodes", args=[third.pk]), {"earlier": earlier})
    assert response.status_code == 404 and not PersonEpisode.objects.exists()


def test_the_check_and_the_police_see_the_history(client, directory, third, earlier_episodes):
    link_all(third, earlier_episodes, factories.staff(roles.EDITORS))
    factories.workflow_start(third)
    client.force_login(factories.user_create(role=roles.SAFEGUARDING_LEADS))
    check_page = client.get(reverse("appeals_publicity_check", args=[third.pk])).content.decode()
    assert "2 other episodes of the same person, 2 with a public appeal" in check_page
    for episode in earlier_episodes:
        assert episode.missing_since.strftime("%-d %b %Y") in check_page
    assert "could another one add to the photos that follow them?" in check_page
    client.force_login(
        factories.user_create(role=roles.POLICE_OFFICERS, force_slug="north-yorkshire-police")
    )
    police_page = client.get(reverse("appeals_police_authorisation", args=[third.pk]))
    assert "2 other episodes of the same person" in police_page.content.decode()


def test_the_check_asks_about_the_photo_album_and_refuses_a_public_appeal_that_adds_to_it(
    directory, third, earlier_episodes
):
    link_all(third, earlier_episodes, factories.staff(roles.EDITORS))
    factories.workflow_start(third)
    with pytest.raises(ValidationError) as unanswered:
        check_complete(third)
    assert "risk_of_photo_album" in unanswered.value.message_dict
    with pytest.raises(ValidationError) as refused:
        check_complete(
            third, risk_of_photo_album="yes", risk_of_photo_album_notes="Seen before online."
        )
    assert "decision" in refused.value.message_dict
    check = check_complete(third, risk_of_photo_album="no")
    assert check.risk_of_photo_album == PublicityCheck.Risk.NO


def test_a_first_episode_is_not_asked_about_the_photo_album(directory, third):
    with pytest.raises(ValidationError) as refused:
        factories.publicity_check(third, risk_of_photo_album="no")
    assert "risk_of_photo_album" in refused.value.message_dict


# Retention


def test_a_purged_episode_keeps_its_dates_in_the_history_while_another_is_kept(
    directory, third, earlier_episodes, settings
):
    link_all(third, earlier_episodes, factories.staff(roles.EDITORS))
    later = timezone.now() + timedelta(days=settings.APPEAL_RETENTION_DAYS + 1)
    with time_machine.travel(later):
        assert appeals_retention_purge() == 2
    history = episode_history(appeal=third)
    assert [episode.purged for episode in history] == [True, True]
    assert [episode.missing_since for episode in history] == [
        episode.missing_since for episode in earlier_episodes
    ]
    assert all("Linnea" not in episode.appeal.title for episode in history)
    # The only way to a purged episode is through one still kept.
    assert episode_matches(appeal=third, user=factories.staff(roles.EDITORS)) == []


def test_the_purge_of_their_last_episode_forgets_the_person(directory, earlier_episodes, settings):
    appeal_episode_link(
        appeal=earlier_episodes[1], earlier=earlier_episodes[0], user=factories.staff(roles.EDITORS)
    )
    later = timezone.now() + timedelta(days=settings.APPEAL_RETENTION_DAYS + 1)
    with time_machine.travel(later):
        assert appeals_retention_purge() == 2
    assert not Person.objects.exists() and not PersonEpisode.objects.exists()


# Risk that never fades


def test_the_third_episode_refuses_a_lower_risk_without_a_reason(
    directory, third, earlier_episodes
):
    link_all(third, earlier_episodes, factories.staff(roles.EDITORS))
    assert {episode.risk_level for episode in earlier_episodes} == {"medium"}
    draft = AppealPage.objects.get(pk=third.pk)
    draft.police_risk_level = AppealPage.RiskLevel.LOW
    with pytest.raises(ValidationError) as refused:
        draft.full_clean()
    assert "previous episode ended at medium risk" in str(
        refused.value.message_dict["police_risk_reason"]
    )
    draft.police_risk_reason = "Fictional: now living with an aunt she trusts."
    draft.full_clean()
    draft.save()
    assert AppealPage.objects.get(pk=third.pk).police_risk_reason.startswith("Fictional")
    draft.police_risk_level = AppealPage.RiskLevel.MEDIUM  # no lower: no reason kept
    draft.full_clean()
    assert draft.police_risk_reason == ""


def test_the_trends_count_which_episode_it_was(directory, third, earlier_episodes):
    link_all(third, earlier_episodes, factories.staff(roles.EDITORS))
    # Missing ten days ago: after the two earlier episodes, before "third" (today).
    published = factories.appeal_create(title="Linnea Quarrie", date_of_birth=BORN)
    appeal_episode_link(appeal=published, earlier=third, user=factories.staff(roles.EDITORS))
    factories.appeal_closed(published)
    assert EpisodeStatistic.objects.get(takedown__appeal=published).episode_number == 3
