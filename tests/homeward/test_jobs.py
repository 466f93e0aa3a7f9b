"""Batched jobs: a flood of items costs one drain job, and every item is worked once."""

import uuid

import pytest
from django.conf import settings
from rq import Queue, SimpleWorker

from homeward import jobs
from homeward.redis import redis_client, redis_key

pytestmark = pytest.mark.django_db

WORKED: list[int] = []


def remember(item: int) -> None:
    WORKED.append(item)


@pytest.fixture
def worked():
    WORKED.clear()
    yield WORKED
    WORKED.clear()


def test_without_redis_each_item_is_worked_after_commit(
    settings, worked, django_capture_on_commit_callbacks
):
    settings.REDIS_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue_batched_after_commit(remember, 7, batch="test")
        assert worked == []  # not before the commit
    assert worked == [7]


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs a real Redis (REDIS_URL)")
def test_a_flood_queues_one_drain_job_that_works_every_item(
    monkeypatch, worked, django_capture_on_commit_callbacks
):
    connection = redis_client(settings.REDIS_URL)
    queue = Queue(f"test-{uuid.uuid4().hex}", connection=connection)
    monkeypatch.setattr(jobs, "_queue", lambda: queue)
    batch = f"test-{uuid.uuid4().hex}"
    for item in range(250):
        with django_capture_on_commit_callbacks(execute=True):
            jobs.enqueue_batched_after_commit(remember, item, batch=batch)

    assert queue.count == 1
    assert connection.llen(redis_key("batch", batch)) == 250
    SimpleWorker([queue], connection=connection).work(burst=True)
    assert worked == list(range(250))
    assert connection.llen(redis_key("batch", batch)) == 0

    # The drain released its claim: the next item queues a new drain.
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue_batched_after_commit(remember, 250, batch=batch)
    assert queue.count == 1
    queue.delete(delete_jobs=True)


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs a real Redis (REDIS_URL)")
def test_a_failing_item_does_not_stop_the_others(monkeypatch, worked):
    connection = redis_client(settings.REDIS_URL)
    batch = f"test-{uuid.uuid4().hex}"
    connection.rpush(redis_key("batch", batch), 1, 2, 3)

    def fail_on_two(item: int) -> None:
        if item == 2:
            raise RuntimeError("SMTP down")
        WORKED.append(item)

    assert jobs.batch_drain(batch, fail_on_two) == 3
    assert worked == [1, 3]
