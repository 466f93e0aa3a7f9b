"""The Mastodon channel, against a Mastodon server's HTTP API faked as Mastodon.py meets it."""

import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import pytest
import responses
import time_machine
from django.utils import timezone

from appeals.models import SocialPost
from appeals.services.social_posts import social_posts_sweep, social_posts_withdraw
from tests import factories
from tests.appeals.channel_fakes import (
    MASTODON_MEDIA,
    MASTODON_MEDIA_ID,
    MASTODON_STATUS_ID,
    MASTODON_STATUSES,
    calls_to,
    mastodon_accepts,
)

Status, Deletion = SocialPost.Status, SocialPost.Deletion


@pytest.fixture
def jobs_run(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def no_sleeping(monkeypatch):
    def sleep(seconds):
        raise AssertionError(f"a worker slept for {seconds}s")

    monkeypatch.setattr(time, "sleep", sleep)


def mastodon_error(network, method, url, status, **headers):
    network.replace(method, url, status=status, json={"error": f"error {status}"}, headers=headers)


def test_a_published_appeal_is_tooted_with_its_photo_alt_text_and_an_idempotency_key(
    directory, mastodon_on, network, jobs_run, no_sleeping
):
    mastodon_accepts(network)
    with jobs_run():
        appeal = factories.appeal_create(
            parent=directory, title="Ottoline Madeupname", last_seen_area="Ripon"
        )

    (media,) = calls_to(network, "POST", MASTODON_MEDIA)
    assert media.headers["Authorization"] == "Bearer test-mastodon-token"
    assert b'name="file"; filename="photo' in media.body
    assert b'name="description"\r\n\r\nPhoto 1 of Ottoline Madeupname' in media.body

    (status,) = calls_to(network, "POST", MASTODON_STATUSES)
    post = SocialPost.objects.get(appeal=appeal)
    assert status.headers["Idempotency-Key"] == f"homeward-post-{post.pk}"
    form = parse_qs(status.body if isinstance(status.body, str) else status.body.decode())
    assert form["visibility"] == ["public"]
    assert form["media_ids[]"] == [MASTODON_MEDIA_ID]
    assert form["status"][0].splitlines()[0] == "Please help find Ottoline Madeupname, 15."
    assert form["status"][0].endswith(appeal.url)

    assert (post.status, post.reference) == (Status.POSTED, MASTODON_STATUS_ID)
    assert post.url == f"https://mastodon.example/@homeward/{MASTODON_STATUS_ID}"


def test_a_rate_limit_waits_for_the_servers_reset_time(
    directory, mastodon_on, network, jobs_run, no_sleeping
):
    mastodon_accepts(network)
    reset = datetime.now(tz=UTC).replace(microsecond=0) + timedelta(minutes=4)
    mastodon_error(
        network, responses.POST, MASTODON_MEDIA, 429, **{"X-RateLimit-Reset": reset.isoformat()}
    )
    with jobs_run():
        appeal = factories.appeal_create(parent=directory)
    post = SocialPost.objects.get(appeal=appeal)
    assert (post.status, post.retry_at, post.attempts) == (Status.QUEUED, reset, 0)

    mastodon_accepts(network)
    network.replace(responses.POST, MASTODON_MEDIA, json={"id": MASTODON_MEDIA_ID})
    with time_machine.travel(reset + timedelta(seconds=1)), jobs_run():
        social_posts_sweep()
    post.refresh_from_db()
    assert post.status == Status.POSTED


def test_a_server_error_then_success(directory, mastodon_on, network, jobs_run):
    mastodon_accepts(network)
    mastodon_error(network, responses.POST, MASTODON_STATUSES, 502)
    with jobs_run():
        appeal = factories.appeal_create(parent=directory)
    post = SocialPost.objects.get(appeal=appeal)
    assert (post.status, post.attempts) == (Status.QUEUED, 1)
    mastodon_accepts(network)
    with time_machine.travel(post.retry_at + timedelta(seconds=1)), jobs_run():
        social_posts_sweep()
    post.refresh_from_db()
    assert post.status == Status.POSTED
    # Both attempts carried the same key: Mastodon would answer a repeat with the first post.
    keys = {
        call.headers["Idempotency-Key"] for call in calls_to(network, "POST", MASTODON_STATUSES)
    }
    assert keys == {f"homeward-post-{post.pk}"}


def test_a_refused_token_fails_at_once(directory, mastodon_on, network, jobs_run):
    mastodon_accepts(network)
    mastodon_error(network, responses.POST, MASTODON_MEDIA, 401)
    with jobs_run():
        appeal = factories.appeal_create(parent=directory)
    post = SocialPost.objects.get(appeal=appeal)
    assert post.status == Status.FAILED
    assert post.error.startswith("Mastodon refused")
    with time_machine.travel(timezone.now() + timedelta(hours=3)), jobs_run():
        social_posts_sweep()
    assert len(network.calls) == 1


def test_an_interrupted_post_is_tried_again_under_the_same_key(directory, mastodon_on, network):
    mastodon_accepts(network)
    appeal = factories.appeal_create(parent=directory)
    post = SocialPost.objects.create(
        appeal=appeal,
        channel="mastodon",
        status=Status.POSTING,
        claim=3,
        claimed_at=timezone.now() - timedelta(hours=1),
    )
    social_posts_sweep()
    post.refresh_from_db()
    assert post.status == Status.QUEUED  # the sweep queues it, and next time posts it


def test_withdrawing_deletes_the_status_and_a_missing_one_counts_as_deleted(
    directory, mastodon_on, network, jobs_run
):
    mastodon_accepts(network)
    with jobs_run():
        appeal = factories.appeal_create(parent=directory)
    network.add(
        responses.DELETE,
        f"{MASTODON_STATUSES}/{MASTODON_STATUS_ID}",
        status=404,
        json={"error": "Record not found"},
    )
    with jobs_run():
        social_posts_withdraw(appeal=appeal)
    post = SocialPost.objects.get(appeal=appeal)
    assert post.deletion == Deletion.DELETED
    assert len(calls_to(network, "DELETE", f"{MASTODON_STATUSES}/{MASTODON_STATUS_ID}")) == 1
