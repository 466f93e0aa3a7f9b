"""An ended publicity clearance takes the appeal down everywhere but leaves it open: the
person is still missing. A renewed check, approved, puts it back live with its photos and
fresh social posts; closing it instead is final. X is faked at the HTTP layer."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from appeals import jobs
from appeals.models import AppealPage, AppealTakedown, PublicityRefused, SocialPost
from appeals.services import appeal_close, appeals_retention_purge, publicity_expire
from homeward import roles
from sightings.models import Sighting
from sightings.services import sightings_retention_purge
from tests import factories
from tests.appeals.channel_fakes import X_TWEET_ID, X_TWEETS, calls_to, x_accepts, x_deletes
from tests.appeals.test_takedown import (
    NAME,
    assert_nothing_personal,
    media_served,
    media_urls,
    public_surfaces,
)

pytestmark = pytest.mark.django_db

Status, Deletion = SocialPost.Status, SocialPost.Deletion


@pytest.fixture
def x_network(x_on, network):
    x_accepts(network)
    x_deletes(network)
    return network


@pytest.fixture
def jobs_run(django_capture_on_commit_callbacks):
    """Run a block's jobs as its transaction commits (in-process, or on the real Redis)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def live(directory, x_network, jobs_run):
    """A live appeal, posted on X, whose clearance ends tomorrow."""
    with jobs_run():
        return factories.appeal_create(
            parent=directory,
            title=NAME,
            slug="marigold-quillfeather",
            photos=2,
            distinguishing_features="A scar shaped like a crescent",
            check={"review_days": 1},
        )


def fresh(appeal) -> AppealPage:
    return AppealPage.objects.get(pk=appeal.pk)


def expire(appeal, jobs_run, *, days=2):
    with jobs_run():
        assert publicity_expire(now=timezone.now() + timedelta(days=days)) == [appeal]
    return AppealTakedown.objects.get(appeal=appeal)


def tweets(network) -> int:
    return len(calls_to(network, "POST", X_TWEETS))


def tweet_deletions(network) -> int:
    return len(calls_to(network, "DELETE", f"{X_TWEETS}/{X_TWEET_ID}"))


def test_an_ended_clearance_takes_it_down_everywhere_but_leaves_it_open(
    client, directory, live, x_network, jobs_run, settings
):
    settings.SIGHTING_RETENTION_DAYS = 30
    sighting = factories.sighting_create(live)
    page = client.get(live.url)
    photos = media_urls(page.content.decode()) | media_urls(
        client.get(directory.url).content.decode()
    )
    assert photos and all(media_served(url) for url in photos)
    assert tweets(x_network) == 1

    takedown = expire(live, jobs_run)

    assert takedown.outcome == AppealTakedown.Outcome.EXPIRED and takedown.completed_at
    down = fresh(live)
    assert (down.status, down.closed_at, down.live) == (AppealPage.Status.MISSING, None, False)
    gone = client.get(live.url)
    assert gone.status_code == 404
    assert_nothing_personal(gone.content.decode())
    for url in public_surfaces(directory):
        text = client.get(url).content.decode().replace(f'value="{NAME.split()[1]}"', "")
        assert live.url not in text and "crescent" not in text, url
    assert not any(media_served(url) for url in photos)
    form = client.get(reverse("sighting-report", args=[live.pk]))
    assert form.status_code == 404
    assert "116&nbsp;000" in form.content.decode() and "999" in form.content.decode()
    assert tweet_deletions(x_network) == 1
    assert live.social_posts.get().deletion == Deletion.DELETED

    # Still open: neither the appeal nor its sightings are purged, however long it waits.
    with time_machine.travel(takedown.closed_at + timedelta(days=31)):
        assert appeals_retention_purge() == 0
        assert sightings_retention_purge() == 0
        call_command("appeals_retention_purge", stdout=StringIO())
    assert fresh(live).title == NAME
    assert Sighting.objects.filter(pk=sighting.pk).exists()
    assert AppealTakedown.objects.get(appeal=live).purged_at is None


def test_a_renewed_check_puts_it_back_live_with_its_photos_and_fresh_posts(
    client, live, x_network, jobs_run
):
    expire(live, jobs_run)

    with jobs_run():
        factories.publicity_clear(fresh(live))

    renewed = fresh(live)
    assert renewed.live and renewed.status == AppealPage.Status.MISSING
    assert not AppealTakedown.objects.filter(appeal=live).exists()
    entry = PageLogEntry.objects.get(page=live, action="homeward.publicity.renewed")
    assert "media" in entry.data["steps_done"]
    page = client.get(live.url)
    assert page.status_code == 200
    photos = media_urls(page.content.decode())
    photos |= {photo.image.file.url for photo in renewed.photos.all()}
    assert len(photos) >= 4 and all(media_served(url) for url in photos)
    assert client.get(reverse("sighting-report", args=[live.pk])).status_code == 200

    # A fresh post for this go-live; the deleted one stays on record.
    assert tweets(x_network) == 2
    posts = list(live.social_posts.order_by("created_at"))
    assert [(post.status, post.deletion) for post in posts] == [
        (Status.POSTED, Deletion.DELETED),
        (Status.POSTED, Deletion.NOT_ASKED),
    ]
    assert posts[0].withdrawn_at and posts[1].withdrawn_at is None

    # Replayed jobs and a re-publish while it is live post nothing more.
    with jobs_run():
        jobs.appeal_fan_out(appeal_id=live.pk)
        edited = fresh(live)
        edited.clothing = "A green coat."
        edited.save_revision(user=factories.staff(roles.EDITORS))
        factories.publicity_clear(fresh(live))
    assert fresh(live).clothing == "A green coat."
    assert tweets(x_network) == 2 and live.social_posts.count() == 2

    # When the renewed clearance ends, it comes down again, and can be renewed again.
    takedown = expire(live, jobs_run, days=8)
    assert takedown.outcome == AppealTakedown.Outcome.EXPIRED
    assert tweet_deletions(x_network) == 2
    assert client.get(live.url).status_code == 404


def test_an_old_revision_cannot_bring_it_back_without_a_renewed_check(live, jobs_run):
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        expire(live, jobs_run, days=0)
        with pytest.raises(PublicityRefused):
            fresh(live).get_latest_revision().publish(skip_permission_checks=True)
    assert not fresh(live).live
    assert AppealTakedown.objects.filter(appeal=live).exists()


def test_closing_after_expiry_works_and_is_final(live, x_network, jobs_run, settings):
    expire(live, jobs_run)
    publisher = factories.user_create(role=roles.PUBLISHERS)

    with jobs_run():
        takedown = appeal_close(
            appeal=fresh(live), user=publisher, outcome="found", reason="Found safe."
        )

    takedown.refresh_from_db()
    assert AppealTakedown.objects.filter(appeal=live).count() == 1
    assert (takedown.outcome, takedown.closed_by, takedown.reason) == (
        "found",
        publisher,
        "Found safe.",
    )
    assert all(takedown.step_done(step) for step in AppealTakedown.Step.values)
    closed = fresh(live)
    assert closed.status == AppealPage.Status.FOUND and closed.closed_at == takedown.closed_at
    assert tweet_deletions(x_network) == 1  # deleted once, at expiry
    with pytest.raises(PublicityRefused):
        closed.get_latest_revision().publish(skip_permission_checks=True)
    assert not fresh(live).live and fresh(live).status == AppealPage.Status.FOUND

    # Final: the retention purge now runs from the closing.
    with time_machine.travel(
        takedown.closed_at + timedelta(days=settings.APPEAL_RETENTION_DAYS + 1)
    ):
        assert appeals_retention_purge() == 1
    assert fresh(live).title == f"Closed appeal {live.pk}"
