"""Takedown on the channels: social posts deleted (the networks faked at the HTTP layer),
unsent emails cancelled over real SMTP, and no later email names the person."""

from datetime import timedelta

import pytest
import responses
import time_machine
from django.utils import timezone

from appeals.models import AppealPage, AppealTakedown, SocialPost
from appeals.services.social_posts import social_posts_sweep
from homeward.models import PoliceForce
from newsletter.models import Campaign, Delivery
from newsletter.services import campaign_batch_send, campaign_regular_due, campaign_urgent_alert
from tests import factories
from tests.appeals.channel_fakes import (
    MASTODON_STATUS_ID,
    MASTODON_STATUSES,
    X_TWEET_ID,
    X_TWEETS,
    calls_to,
    x_deletes,
)
from tests.newsletter.conftest import hero_create
from tests.newsletter.test_campaigns import thursday_morning

pytestmark = pytest.mark.django_db

NAME = "Marigold Quillfeather"
Status, Deletion = SocialPost.Status, SocialPost.Deletion


@pytest.fixture
def forces(db):
    return list(PoliceForce.objects.order_by("pk")[:2])


@pytest.fixture
def closing(directory, forces):
    return factories.appeal_create(
        parent=directory, title=NAME, police_force=forces[0], risk_level="high"
    )


def posted(appeal, channel, reference):
    return SocialPost.objects.create(
        appeal=appeal, channel=channel, status=Status.POSTED, reference=reference
    )


def mastodon_deletes(network, *, status: int = 200):
    network.add(
        responses.DELETE,
        f"{MASTODON_STATUSES}/{MASTODON_STATUS_ID}",
        status=status,
        json={"id": MASTODON_STATUS_ID, "text": "…"} if status == 200 else {"error": "Down"},
    )


def test_every_social_post_is_deleted_and_queued_ones_never_made(
    closing, x_on, mastodon_on, network, django_capture_on_commit_callbacks
):
    x_deletes(network)
    mastodon_deletes(network)
    tweet = posted(closing, "x", X_TWEET_ID)
    toot = posted(closing, "mastodon", MASTODON_STATUS_ID)
    SocialPost.objects.filter(appeal=closing).exclude(pk__in=[tweet.pk, toot.pk]).delete()

    takedown = factories.appeal_found(closing, capture=django_capture_on_commit_callbacks)

    assert len(calls_to(network, "DELETE", f"{X_TWEETS}/{X_TWEET_ID}")) == 1
    assert len(calls_to(network, "DELETE", f"{MASTODON_STATUSES}/{MASTODON_STATUS_ID}")) == 1
    for post in (tweet, toot):
        post.refresh_from_db()
        assert post.deletion == Deletion.DELETED
    # Nothing was posted, commented or announced: deleting is all that happened.
    assert {call.request.method for call in network.calls} == {"DELETE"}
    takedown.refresh_from_db()
    assert takedown.completed_at is not None


def test_a_failing_network_does_not_stop_the_others_and_is_retried(
    closing, x_on, mastodon_on, network, django_capture_on_commit_callbacks
):
    x_deletes(network, status=503)
    mastodon_deletes(network)
    tweet = posted(closing, "x", X_TWEET_ID)
    toot = posted(closing, "mastodon", MASTODON_STATUS_ID)
    takedown = factories.appeal_found(closing, capture=django_capture_on_commit_callbacks)

    tweet.refresh_from_db()
    toot.refresh_from_db()
    assert toot.deletion == Deletion.DELETED
    assert tweet.deletion != Deletion.DELETED and tweet.error
    takedown.refresh_from_db()
    assert all(takedown.step_done(step) for step in AppealTakedown.Step.values)

    network.replace(responses.DELETE, f"{X_TWEETS}/{X_TWEET_ID}", json={"data": {"deleted": True}})
    with (
        time_machine.travel(timezone.now() + timedelta(hours=2)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        social_posts_sweep()
    tweet.refresh_from_db()
    assert tweet.deletion == Deletion.DELETED


def test_unsent_emails_are_cancelled_and_later_ones_never_name_them(
    directory, forces, closing, mailbox, django_capture_on_commit_callbacks
):
    factories.appeal_create(parent=directory, title="Bryn Madeup", police_force=forces[1])
    only_closing = hero_create("only-closing@example.org", areas=[forces[0]], urgent_alerts=True)
    both = hero_create("both@example.org", areas=[forces[0], forces[1]])
    everywhere = hero_create("everywhere@example.org", all_of_uk=True, urgent_alerts=True)
    # Created, but their batches not yet sent (the jobs run only at the commit).
    alert = campaign_urgent_alert(appeal=closing)
    regular = campaign_regular_due(now=thursday_morning())
    assert {card["name"] for card in regular.content["new_appeals"]} == {NAME, "Bryn Madeup"}
    queued = Delivery.objects.filter(status=Delivery.Status.QUEUED).count()
    assert queued == 2 + 3

    takedown = factories.appeal_found(closing, capture=django_capture_on_commit_callbacks)

    takedown.refresh_from_db()
    assert takedown.steps["emails"]["cancelled"] == 2 + 1  # the alert's two; one regular
    alert.refresh_from_db()
    assert alert.status == Campaign.Status.CANCELLED
    for campaign in (alert, regular):
        for batch in set(campaign.deliveries.values_list("batch", flat=True)):
            campaign_batch_send(campaign_id=campaign.pk, batch=batch)
    assert mailbox.to(only_closing.email) == []
    for hero in (both, everywhere):
        text = mailbox.only_one_to(hero.email).text()
        assert "Quillfeather" not in text and "Marigold" not in text
        assert "Bryn Madeup" in text
        assert "please check and delete old posts" in text

    # The next week's email names no one either, and asks once more.
    mailbox.arrivals.clear()
    with django_capture_on_commit_callbacks(execute=True):
        campaign_regular_due(now=thursday_morning() + timedelta(days=7))
    for arrival in mailbox.arrivals:
        assert "Quillfeather" not in arrival.text()
        assert "please check and delete old posts" in arrival.text()
    assert AppealPage.objects.get(pk=closing.pk).is_closed
