"""Redis going away takes nothing down: pages are served without the cache, Wagtail's
tasks run here instead of being queued (so a closing is not rolled back), and the
scheduler waits for Redis instead of dying. With Redis up, Wagtail's tasks wait for the
commit and go to the queue whose worker can run them."""

import math
import socket
import time
from unittest import mock

import django_rq
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django_tasks_rq.backend import Job
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import SimpleWorker
from rq.exceptions import StopRequested
from wagtail.images import get_image_model

from homeward import cache_backend, cron_scheduler
from homeward.cron_scheduler import ResilientCronScheduler
from homeward.settings import rq_connection
from homeward.task_backend import WAGTAIL_TASKS_QUEUE
from tests import factories

pytestmark = pytest.mark.django_db

# Nothing listens on port 1 of loopback: a Redis that is down, reached with the client
# options production uses (short timeouts, one quick retry).
DEAD_REDIS_URL = "redis://127.0.0.1:1/0"
AFTER_COMMIT_TASKS = {
    "default": {
        "BACKEND": "homeward.task_backend.AfterCommitRQBackend",
        "QUEUES": ["default", WAGTAIL_TASKS_QUEUE],
    }
}


def _redis_at(url: str, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "homeward.cache_backend.FailSoftRedisCache",
            "LOCATION": url,
            "OPTIONS": settings.REDIS_CLIENT_OPTIONS,
        }
    }
    settings.RQ_QUEUES = {name: rq_connection(url) for name in ("default", WAGTAIL_TASKS_QUEUE)}
    settings.TASKS = AFTER_COMMIT_TASKS
    settings.REDIS_URL = url


@pytest.fixture
def redis_down(settings):
    _redis_at(DEAD_REDIS_URL, settings)


@pytest.fixture
def redis_hanging(settings):
    """A Redis that takes connections and never answers: each call waits out its timeout."""
    with socket.create_server(("127.0.0.1", 0), backlog=64) as server:
        _redis_at(f"redis://127.0.0.1:{server.getsockname()[1]}/0", settings)
        yield


def test_public_pages_are_served_while_redis_is_down(client, directory, appeal, redis_down):
    for url in ["/", directory.url, appeal.url, f"{directory.url}feed/", "/sitemap.xml"]:
        assert client.get(url).status_code == 200, url
        assert client.get(url).status_code == 200, url  # a second time: nothing cached


def test_after_a_failure_the_cache_is_not_asked_for_a_moment(redis_down, monkeypatch):
    asked = []

    def get_client(*args, **kwargs):
        asked.append(args)
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr(cache_backend.FailSoftRedisCacheClient, "get_client", get_client)
    assert cache.get("anything") is None and len(asked) == 1  # refused: remembered
    assert cache.get("anything") is None and len(asked) == 1  # not asked meanwhile
    monkeypatch.setattr(cache_backend.unreachable, "failed_at", -math.inf)
    assert cache.get("anything") is None and len(asked) == 2  # asked again after the pause


@pytest.mark.parametrize("outage", ["redis_down", "redis_hanging"])
def test_an_appeal_closes_while_redis_is_out_at_once_and_is_unsearchable(
    request, directory, outage, django_capture_on_commit_callbacks
):
    appeal = factories.appeal_create(parent=directory, title="Oriel Thistlewood")
    request.getfixturevalue(outage)
    started = time.monotonic()
    factories.appeal_found(appeal, capture=django_capture_on_commit_callbacks)
    seconds = time.monotonic() - started
    appeal.refresh_from_db()
    assert appeal.is_closed and not appeal.live
    # Wagtail's search update ran here, as Redis could not take it.
    assert not type(appeal).objects.search("Thistlewood")
    # A closing asks the cache, queues nine of Wagtail's tasks and two jobs: each of the
    # three waits out one timeout of a Redis that hangs, not one per call (12 s before).
    print(f"\nclosed in {seconds:.2f} s with Redis {outage.removeprefix('redis_')}")
    assert seconds < 5


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs a real Redis (REDIS_URL)")
def test_wagtail_tasks_wait_for_the_commit_and_their_worker_runs_them(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = AFTER_COMMIT_TASKS
    queue = django_rq.get_queue(WAGTAIL_TASKS_QUEUE, job_class=Job)
    queue.empty()
    image = factories.image_create(title="Quenby Marchbank")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        image.title = "Quenby Larkspur"
        image.save()
        assert queue.count == 0  # a rolled-back save must leave no task behind
    assert queue.count > 0
    # The worker of the Procfile's wagtail_tasks_worker line: django-tasks' job class.
    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
    worker.work(burst=True)
    assert queue.failed_job_registry.count == 0
    assert list(get_image_model().objects.search("Larkspur")) == [image]


def test_the_scheduler_waits_for_redis_instead_of_dying(monkeypatch):
    scheduler = ResilientCronScheduler()
    calls = iter([RedisConnectionError("Connection refused"), [], StopRequested()])

    def enqueue_jobs():
        outcome = next(calls)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    pauses = []
    monkeypatch.setattr(scheduler, "enqueue_jobs", enqueue_jobs)
    monkeypatch.setattr(scheduler, "register_birth", lambda: None)
    monkeypatch.setattr(scheduler, "register_death", lambda: None)
    monkeypatch.setattr(scheduler, "heartbeat", lambda: None)
    monkeypatch.setattr(scheduler, "_install_signal_handlers", lambda: None)
    monkeypatch.setattr(cron_scheduler.time, "sleep", pauses.append)
    with mock.patch.object(scheduler, "calculate_sleep_interval", return_value=30):
        scheduler.start()
    # It waited out the outage, then went back to its schedule, until told to stop.
    assert pauses == [cron_scheduler.RECONNECT_PAUSE_SECONDS, 30]
