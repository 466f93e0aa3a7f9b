"""Fan-out on publish: what goes where, once, and only for a real go-live with a public
clearance; takedown's withdrawal of posts; the publicity record and who may change it."""

from datetime import timedelta
from io import StringIO

import pytest
import requests
import responses
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from appeals.models import AppealPage, PublicityDecision, SocialPost
from appeals.selectors import appeal_publicity_record
from appeals.services.social_posts import (
    social_post_delete,
    social_post_retry,
    social_post_send,
    social_posts_sweep,
    social_posts_withdraw,
)
from homeward import roles
from newsletter.models import Campaign
from tests import factories
from tests.appeals.channel_fakes import (
    MASTODON_STATUSES,
    X_TWEET_ID,
    X_TWEETS,
    calls_to,
    mastodon_accepts,
    x_accepts,
    x_deletes,
    x_problem,
)

Status, Deletion = SocialPost.Status, SocialPost.Deletion


@pytest.fixture
def jobs_run(django_capture_on_commit_callbacks):
    """Run a block's jobs as its transaction commits (in-process, or on the real Redis)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def both_channels(x_on, mastodon_on, network):
    x_accepts(network)
    mastodon_accepts(network)
    return network


def fresh(appeal: AppealPage) -> AppealPage:
    return AppealPage.objects.get(pk=appeal.pk)


def test_a_public_appeal_is_posted_once_on_each_channel(directory, both_channels, jobs_run):
    with jobs_run():
        appeal = factories.appeal_create(parent=directory)
    assert {(post.channel, post.status) for post in appeal.social_posts.all()} == {
        ("x", Status.POSTED),
        ("mastodon", Status.POSTED),
    }
    assert len(calls_to(both_channels, "POST", X_TWEETS)) == 1
    assert len(calls_to(both_channels, "POST", MASTODON_STATUSES)) == 1


def test_a_republish_and_replayed_jobs_post_nothing_again(directory, both_channels, jobs_run):
    with jobs_run():
        appeal = factories.appeal_create(parent=directory, risk_level="high")
    with jobs_run():
        edited = fresh(appeal)
        edited.clothing = "A green coat."
        edited.save_revision(user=factories.staff(roles.EDITORS))
        factories.publicity_clear(fresh(appeal))
    assert fresh(appeal).live_revision_id != appeal.live_revision_id  # really re-published

    # RQ delivers at least once: every job of the fan-out, delivered again.
    from appeals import jobs

    with jobs_run():
        jobs.appeal_fan_out(appeal_id=appeal.pk)
        for post in appeal.social_posts.all():
            assert social_post_send(post_id=post.pk) is None
    assert len(calls_to(both_channels, "POST", X_TWEETS)) == 1
    assert len(calls_to(both_channels, "POST", MASTODON_STATUSES)) == 1
    assert Campaign.objects.filter(appeal=appeal, kind=Campaign.Kind.URGENT).count() == 1


def test_a_scheduled_appeal_fans_out_when_it_goes_live_not_when_scheduled(
    directory, both_channels, jobs_run
):
    go_live = timezone.now() + timedelta(hours=6)
    appeal = factories.appeal_create(parent=directory, publish=False, risk_level="high")
    appeal.go_live_at = go_live
    appeal.save_revision(user=factories.staff(roles.EDITORS))
    with jobs_run():
        factories.publicity_clear(fresh(appeal))  # page_published fires: only scheduled
    assert not fresh(appeal).live
    assert not SocialPost.objects.exists()
    assert not Campaign.objects.exists()
    assert len(both_channels.calls) == 0

    with time_machine.travel(go_live + timedelta(minutes=1)), jobs_run():
        call_command("publish_scheduled", stdout=StringIO(), stderr=StringIO())
    assert fresh(appeal).live
    assert {post.status for post in appeal.social_posts.all()} == {Status.POSTED}
    assert len(calls_to(both_channels, "POST", X_TWEETS)) == 1
    assert Campaign.objects.filter(appeal=appeal, kind=Campaign.Kind.URGENT).count() == 1


def test_the_regular_email_lists_a_scheduled_appeal_from_its_go_live(directory, jobs_run):
    from newsletter.selectors import regular_email_content

    go_live = timezone.now() + timedelta(hours=6)
    appeal = factories.appeal_create(parent=directory, publish=False)
    appeal.go_live_at = go_live
    appeal.save_revision(user=factories.staff(roles.EDITORS))
    with jobs_run():
        factories.publicity_clear(fresh(appeal))
    since = timezone.now()

    def listed(now):
        content = regular_email_content(since=since, now=now)
        return [card["id"] for card in content["new_appeals"]]

    assert listed(timezone.now()) == []
    with time_machine.travel(go_live + timedelta(minutes=1)), jobs_run():
        call_command("publish_scheduled", stdout=StringIO(), stderr=StringIO())
        assert listed(timezone.now()) == [appeal.pk]


@pytest.mark.parametrize("risk_level", ["high", "medium"])
def test_a_restricted_decision_briefs_partners_and_reaches_no_public_channel(
    directory, both_channels, jobs_run, risk_level
):
    with jobs_run():
        appeal = factories.appeal_create(
            parent=directory,
            risk_level=risk_level,
            check={"decision": PublicityDecision.RESTRICTED},
        )
    assert not fresh(appeal).live
    assert len(both_channels.calls) == 0
    assert not SocialPost.objects.exists()
    assert list(Campaign.objects.values_list("kind", "appeal")) == [
        (Campaign.Kind.BRIEFING, appeal.pk)
    ]
    with jobs_run():  # replayed: once only
        from appeals import jobs

        jobs.appeal_cleared_restricted(appeal_id=appeal.pk)
        jobs.appeal_fan_out(appeal_id=appeal.pk)
    assert Campaign.objects.count() == 1
    assert len(both_channels.calls) == 0


def test_no_publicity_sends_nothing_anywhere(directory, both_channels, jobs_run):
    with jobs_run():
        appeal = factories.appeal_create(
            parent=directory, risk_level="high", check={"decision": PublicityDecision.NONE}
        )
    assert not fresh(appeal).live
    assert len(both_channels.calls) == 0
    assert not SocialPost.objects.exists()
    assert not Campaign.objects.exists()


# Takedown: withdrawing the posts


def test_withdrawing_deletes_each_post_once(directory, both_channels, jobs_run):
    with jobs_run():
        appeal = factories.appeal_create(parent=directory)
    x_deletes(both_channels)
    both_channels.add(responses.DELETE, f"{MASTODON_STATUSES}/109327813577220436", json={"id": "1"})
    with jobs_run():
        social_posts_withdraw(appeal=appeal)
    assert {(post.status, post.deletion) for post in appeal.social_posts.all()} == {
        (Status.POSTED, Deletion.DELETED)
    }
    with jobs_run():
        social_posts_withdraw(appeal=appeal)
        for post in appeal.social_posts.all():
            assert social_post_delete(post_id=post.pk) is None
    deletions = [call for call in both_channels.calls if call.request.method == "DELETE"]
    assert len(deletions) == 2


def test_a_post_not_yet_made_is_cancelled_and_never_made(directory, x_on, network, jobs_run):
    x_accepts(network)
    network.replace(
        responses.POST,
        X_TWEETS,
        status=429,
        headers={"x-rate-limit-reset": str(int(timezone.now().timestamp()) + 600)},
        json=x_problem(429),
    )
    with jobs_run():
        appeal = factories.appeal_create(parent=directory)
    with jobs_run():
        social_posts_withdraw(appeal=appeal)
    post = appeal.social_posts.get()
    assert post.status == Status.CANCELLED
    network.replace(responses.POST, X_TWEETS, status=201, json={"data": {"id": X_TWEET_ID}})
    with time_machine.travel(timezone.now() + timedelta(hours=1)), jobs_run():
        social_posts_sweep()
        assert social_post_send(post_id=post.pk) is None
    assert len(calls_to(network, "POST", X_TWEETS)) == 1  # only the rate-limited one


def test_a_deletion_is_retried_until_it_is_done(directory, x_on, network, jobs_run):
    x_accepts(network)
    with jobs_run():
        appeal = factories.appeal_create(parent=directory)
    x_deletes(network, status=503)
    with jobs_run():
        social_posts_withdraw(appeal=appeal)
    post = appeal.social_posts.get()
    assert (post.deletion, post.attempts) == (Deletion.QUEUED, 1)
    assert "503" in post.error

    # Well past the attempts a post gets: a deletion keeps trying.
    for _ in range(7):
        with time_machine.travel(post.retry_at + timedelta(seconds=1)), jobs_run():
            social_posts_sweep()
        post.refresh_from_db()
        assert post.deletion == Deletion.QUEUED
    network.replace(
        responses.DELETE, f"{X_TWEETS}/{X_TWEET_ID}", status=404, json=x_problem(404)
    )  # deleted by hand meanwhile: that counts
    with time_machine.travel(post.retry_at + timedelta(seconds=1)), jobs_run():
        social_posts_sweep()
    post.refresh_from_db()
    assert (post.deletion, post.error) == (Deletion.DELETED, "")


def test_a_post_withdrawn_while_being_made_is_deleted_once_made(directory, x_on, network):
    x_accepts(network)
    x_deletes(network)
    appeal = factories.appeal_create(parent=directory)  # jobs not run: the post is queued
    post = SocialPost.objects.create(appeal=appeal, channel="x", status=Status.POSTING)
    social_posts_withdraw(appeal=appeal)
    post.refresh_from_db()
    assert post.deletion == Deletion.QUEUED
    # The worker holding the claim finishes; the sweep finds the deletion.
    SocialPost.objects.filter(pk=post.pk).update(status=Status.POSTED, reference=X_TWEET_ID)
    assert social_post_delete(post_id=post.pk).deletion == Deletion.DELETED


def test_a_post_interrupted_mid_request_is_not_posted_blindly_again(directory, x_on, network):
    appeal = factories.appeal_create(parent=directory)
    stale = timezone.now() - timedelta(hours=1)
    post = SocialPost.objects.create(
        appeal=appeal, channel="x", status=Status.POSTING, claim=7, claimed_at=stale
    )
    assert social_posts_sweep()["interrupted"] == 1
    post.refresh_from_db()
    assert post.status == Status.FAILED
    assert "check the channel" in post.error
    assert len(network.calls) == 0


def test_a_post_cut_off_without_an_answer_from_x_is_not_made_again(
    directory, x_on, network, jobs_run
):
    x_accepts(network)
    network.replace(responses.POST, X_TWEETS, body=requests.ReadTimeout("no answer"))
    with jobs_run():
        appeal = factories.appeal_create(parent=directory)
    post = appeal.social_posts.get()
    assert (post.status, post.retry_at) == (Status.FAILED, None)
    assert "check the channel" in post.error
    with time_machine.travel(timezone.now() + timedelta(hours=2)), jobs_run():
        social_posts_sweep()
    assert len(calls_to(network, "POST", X_TWEETS)) == 1


def test_a_post_withdrawn_while_being_made_and_then_refused_for_now_is_never_made(
    directory, x_on, network, jobs_run
):
    x_accepts(network)
    appeal = factories.appeal_create(parent=directory)  # jobs not run: nothing posted yet
    post = SocialPost.objects.create(appeal=appeal, channel="x")

    def withdrawn_mid_request(request):
        social_posts_withdraw(appeal=appeal)
        return (503, {}, '{"title": "Service Unavailable"}')

    network.remove(responses.POST, X_TWEETS)
    network.add_callback(responses.POST, X_TWEETS, callback=withdrawn_mid_request)
    with jobs_run():
        social_post_send(post_id=post.pk)
    post.refresh_from_db()
    assert (post.status, post.deletion) == (Status.CANCELLED, Deletion.NOT_ASKED)
    with time_machine.travel(timezone.now() + timedelta(hours=2)), jobs_run():
        social_posts_sweep()
    assert len(calls_to(network, "POST", X_TWEETS)) == 1


def test_a_post_interrupted_during_a_takedown_offers_no_retry(directory, x_on, network):
    appeal = factories.appeal_create(parent=directory)
    stale = timezone.now() - timedelta(hours=1)
    post = SocialPost.objects.create(
        appeal=appeal, channel="x", status=Status.POSTING, claim=7, claimed_at=stale
    )
    social_posts_withdraw(appeal=appeal)
    social_posts_sweep()
    post.refresh_from_db()
    assert (post.status, post.deletion) == (Status.FAILED, Deletion.FAILED)
    assert not (post.can_retry_post or post.can_retry_deletion or post.can_cancel)
    with pytest.raises(ValidationError):
        social_post_retry(post=post, user=factories.user_create(role=roles.PUBLISHERS))


def test_the_record_has_posts_and_emails_with_their_figures(directory, both_channels, jobs_run):
    with jobs_run():
        appeal = factories.appeal_create(parent=directory, risk_level="high")
    record = appeal_publicity_record(appeal=appeal)
    assert {(post.channel, post.reference) for post in record.posts} == {
        ("x", X_TWEET_ID),
        ("mastodon", "109327813577220436"),
    }
    emails = record.section("emails").context["campaigns"]  # newsletter's section
    assert [entry["campaign"].kind for entry in emails] == [Campaign.Kind.URGENT]
    assert emails[0]["figures"]["sent"] == 0
    assert record.channels_off == []


# Who may see, retry and cancel


def person(role: str):
    if role == "superuser":
        return factories.user_create(is_superuser=True, is_staff=True)
    if role == roles.POLICE_OFFICERS:
        return factories.user_create(role=role, force_slug="north-yorkshire-police")
    return factories.user_create(role=role)


MATRIX = {
    roles.EDITORS: False,
    roles.SAFEGUARDING_LEADS: False,
    roles.CASEWORKERS: False,
    roles.POLICE_OFFICERS: False,
    roles.PUBLISHERS: True,
    roles.ADMINISTRATORS: True,
    "superuser": True,
}


@pytest.mark.parametrize(("role", "allowed"), MATRIX.items())
def test_who_may_see_retry_and_cancel_posts(client, directory, role, allowed):
    appeal = factories.appeal_create(parent=directory)
    failed = SocialPost.objects.create(appeal=appeal, channel="x", status=Status.FAILED)
    queued = SocialPost.objects.create(appeal=appeal, channel="mastodon")
    client.force_login(person(role))

    record = client.get(reverse("appeals_social_posts:appeal", args=[appeal.pk]))
    retry = client.post(reverse("appeals_social_posts:retry", args=[failed.pk]))
    cancel = client.post(reverse("appeals_social_posts:cancel", args=[queued.pk]))

    failed.refresh_from_db()
    queued.refresh_from_db()
    if allowed:
        assert record.status_code == 200
        back = reverse("appeals_social_posts:appeal", args=[appeal.pk])
        assert (retry.url, cancel.url) == (back, back)
        assert (failed.status, queued.status) == (Status.QUEUED, Status.CANCELLED)
    else:
        # Wagtail's admin answers a refusal by sending them to the dashboard, with a message.
        home = reverse("wagtailadmin_home")
        assert [response.url for response in (record, retry, cancel)] == [home, home, home]
        assert (failed.status, queued.status) == (Status.FAILED, Status.QUEUED)


def test_retry_and_cancel_refuse_what_they_cannot_do(client, directory):
    appeal = factories.appeal_create(parent=directory)
    posted = SocialPost.objects.create(appeal=appeal, channel="x", status=Status.POSTED)
    client.force_login(factories.staff(roles.PUBLISHERS))
    for action in ("retry", "cancel"):
        response = client.post(
            reverse(f"appeals_social_posts:{action}", args=[posted.pk]), follow=True
        )
        assert response.status_code == 200
        assert "Only a" in response.content.decode()
    posted.refresh_from_db()
    assert posted.status == Status.POSTED
    assert client.get(reverse("appeals_social_posts:retry", args=[posted.pk])).status_code == 405
    assert client.post(reverse("appeals_social_posts:retry", args=[999999])).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, directory):
    appeal = factories.appeal_create(parent=directory)
    response = client.get(reverse("appeals_social_posts:appeal", args=[appeal.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
