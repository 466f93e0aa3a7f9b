"""The X channel, against X's HTTP API faked as tweepy and X's v2 media upload meet it."""

import time
from datetime import UTC, datetime, timedelta

import django_rq
import pytest
import responses
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rq.registry import ScheduledJobRegistry

from appeals.models import SocialPost
from appeals.selectors import appeal_publicity_record
from appeals.services.social_posts import MAX_ATTEMPTS, social_post_send, social_posts_sweep
from homeward.redis import redis_client
from tests import factories
from tests.appeals.channel_fakes import (
    X_MEDIA_ID,
    X_METADATA,
    X_TWEET_ID,
    X_TWEETS,
    X_UPLOAD,
    calls_to,
    json_body,
    x_accepts,
    x_problem,
)


@pytest.fixture
def no_sleeping(monkeypatch):
    def sleep(seconds):
        raise AssertionError(f"a worker slept for {seconds}s")

    monkeypatch.setattr(time, "sleep", sleep)


@pytest.fixture
def scheduled():
    """The jobs waiting in RQ's scheduled registry: [(function, kwargs, when)] (Redis only)."""
    if not settings.REDIS_URL:
        yield None
        return
    queue = django_rq.get_queue("default", connection=redis_client(settings.REDIS_URL))
    registry = ScheduledJobRegistry(queue=queue)

    def clear():
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)

    def jobs():
        found = []
        for job_id in registry.get_job_ids():
            job = queue.fetch_job(job_id)
            found.append((job.func_name, job.kwargs, registry.get_scheduled_time(job_id)))
        return found

    clear()
    yield jobs
    clear()


@pytest.fixture
def publish(directory, django_capture_on_commit_callbacks):
    def publish(**fields):
        with django_capture_on_commit_callbacks(execute=True):
            return factories.appeal_create(parent=directory, **fields)

    return publish


def run_jobs(django_capture_on_commit_callbacks, func, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return func(**kwargs)


def test_a_published_appeal_is_posted_with_its_photo_and_alt_text(
    x_on, network, publish, no_sleeping
):
    x_accepts(network)
    appeal = publish(title="Quenby Inventedname", last_seen_area="Whitby", age_when_missing=14)

    (upload,) = calls_to(network, "POST", X_UPLOAD)
    assert upload.headers["Authorization"].startswith("OAuth ")
    assert 'oauth_consumer_key="test-consumer-key"' in upload.headers["Authorization"]
    assert upload.headers["Content-Type"].startswith("multipart/form-data")
    assert b'name="media_category"\r\n\r\ntweet_image' in upload.body
    assert b'name="media"; filename="photo"' in upload.body
    assert b"\xff\xd8" in upload.body  # the JPEG itself

    (metadata,) = calls_to(network, "POST", X_METADATA)
    assert json_body(metadata) == {
        "id": X_MEDIA_ID,
        "metadata": {"alt_text": {"text": f"Photo 1 of {appeal.title}"}},
    }

    (tweet,) = calls_to(network, "POST", X_TWEETS)
    assert 'oauth_token="test-access-token"' in tweet.headers["Authorization"]
    body = json_body(tweet)
    assert body["media"] == {"media_ids": [X_MEDIA_ID]}
    assert body["text"].splitlines() == [
        "Please help find Quenby Inventedname, 14.",
        f"Missing from Whitby since {appeal.missing_since:%-d %B %Y}.",
        f"http://127.0.0.1:8000{appeal.url}",
    ]
    assert set(body) == {"text", "media"}

    post = SocialPost.objects.get(appeal=appeal)
    assert post.status == SocialPost.Status.POSTED
    assert post.reference == X_TWEET_ID
    assert post.url == f"https://x.com/i/web/status/{X_TWEET_ID}"
    assert post.attempts == 1
    assert list(appeal_publicity_record(appeal=appeal).posts) == [post]


def test_a_long_name_is_shortened_to_fit_a_post(x_on, network, publish):
    x_accepts(network)
    publish(title="Zebedee " + "Longname" * 24)
    text = json_body(calls_to(network, "POST", X_TWEETS)[0])["text"]
    headline, area, _ = text.splitlines()
    assert headline.endswith("…")
    assert len(headline) + len(area) + 23 + 2 <= 280


def test_a_rate_limit_waits_for_the_reset_time_without_sleeping(
    x_on, network, publish, no_sleeping, scheduled, django_capture_on_commit_callbacks
):
    reset = int(time.time()) + 900
    x_accepts(network)
    network.replace(
        responses.POST,
        X_TWEETS,
        status=429,
        headers={"x-rate-limit-reset": str(reset)},
        json=x_problem(429),
    )
    appeal = publish()

    post = SocialPost.objects.get(appeal=appeal)
    reset_at = datetime.fromtimestamp(reset, tz=UTC)
    assert (post.status, post.retry_at, post.attempts) == (SocialPost.Status.QUEUED, reset_at, 0)
    assert "rate limit" in post.error
    if scheduled:
        assert scheduled() == [("appeals.jobs.social_post_send", {"post_id": post.pk}, reset_at)]

    # Before the reset nothing is tried; after it, the post is made once.
    assert run_jobs(django_capture_on_commit_callbacks, social_post_send, post_id=post.pk) is None
    assert len(calls_to(network, "POST", X_TWEETS)) == 1
    x_accepts(network)
    network.replace(responses.POST, X_TWEETS, status=201, json={"data": {"id": X_TWEET_ID}})
    with time_machine.travel(reset_at + timedelta(seconds=1)):
        run_jobs(django_capture_on_commit_callbacks, social_posts_sweep)
        run_jobs(django_capture_on_commit_callbacks, social_posts_sweep)
    post.refresh_from_db()
    assert post.status == SocialPost.Status.POSTED
    assert len(calls_to(network, "POST", X_TWEETS)) == 2


def test_a_server_error_is_retried_with_backoff_then_posted(
    x_on, network, publish, no_sleeping, scheduled, django_capture_on_commit_callbacks
):
    x_accepts(network)
    network.replace(responses.POST, X_TWEETS, status=503, json=x_problem(503))
    started = timezone.now()
    appeal = publish()
    post = SocialPost.objects.get(appeal=appeal)
    assert (post.status, post.attempts) == (SocialPost.Status.QUEUED, 1)
    assert started + timedelta(seconds=55) < post.retry_at < timezone.now() + timedelta(minutes=2)
    assert "503" in post.error
    if scheduled:
        [(function, kwargs, _)] = scheduled()
        assert (function, kwargs) == ("appeals.jobs.social_post_send", {"post_id": post.pk})

    network.replace(responses.POST, X_TWEETS, status=201, json={"data": {"id": X_TWEET_ID}})
    with time_machine.travel(post.retry_at + timedelta(seconds=1)):
        run_jobs(django_capture_on_commit_callbacks, social_posts_sweep)
    post.refresh_from_db()
    assert (post.status, post.reference, post.error) == (SocialPost.Status.POSTED, X_TWEET_ID, "")
    assert len(calls_to(network, "POST", X_TWEETS)) == 2


def test_server_errors_fail_the_post_after_its_attempts(
    x_on, network, publish, django_capture_on_commit_callbacks
):
    x_accepts(network)
    network.replace(responses.POST, X_TWEETS, status=503, json=x_problem(503))
    appeal = publish()
    post = SocialPost.objects.get(appeal=appeal)
    for _ in range(MAX_ATTEMPTS - 1):
        with time_machine.travel(post.retry_at + timedelta(seconds=1)):
            run_jobs(django_capture_on_commit_callbacks, social_posts_sweep)
        post.refresh_from_db()
    assert (post.status, post.attempts) == (SocialPost.Status.FAILED, MAX_ATTEMPTS)
    assert len(calls_to(network, "POST", X_TWEETS)) == MAX_ATTEMPTS
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        run_jobs(django_capture_on_commit_callbacks, social_posts_sweep)
    assert len(calls_to(network, "POST", X_TWEETS)) == MAX_ATTEMPTS


def test_refused_credentials_fail_at_once_and_staff_are_told(
    x_on, network, publish, client, django_capture_on_commit_callbacks
):
    network.add(responses.POST, X_UPLOAD, status=401, json=x_problem(401))
    appeal = publish()
    post = SocialPost.objects.get(appeal=appeal)
    assert (post.status, post.attempts) == (SocialPost.Status.FAILED, 1)
    assert post.error.startswith("X refused: 401 Unauthorized")
    assert post.retry_at is None

    # No retry storm: the sweep leaves it for staff.
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        run_jobs(django_capture_on_commit_callbacks, social_posts_sweep)
    assert len(network.calls) == 1

    client.force_login(factories.staff("Publishers"))
    page = client.get(reverse("appeals_social_posts:appeal", args=[appeal.pk]))
    assert page.status_code == 200
    assert "X refused: 401 Unauthorized" in page.content.decode()
    assert "Try again" in page.content.decode()


def test_without_credentials_x_is_off_and_the_admin_says_so(network, publish, client):
    appeal = publish()
    assert not SocialPost.objects.exists()
    assert len(network.calls) == 0
    record = appeal_publicity_record(appeal=appeal)
    assert [off.label for off in record.channels_off] == ["X (Twitter)", "Mastodon"]
    client.force_login(factories.staff("Publishers"))
    page = client.get(reverse("appeals_social_posts:appeal", args=[appeal.pk])).content.decode()
    assert "X (Twitter)</strong> is not connected: ask your site administrator" in page
    # Staff are told what to do in their words; setting names are for the README.
    assert "X_API_KEY" not in page
