"""A worker told to stop (a deploy's SIGTERM, the end of a burst) exits promptly.

An RQ worker listens for commands on a Redis channel in a thread that waits up to 60 s
for a message. On stopping, it unsubscribes, so Redis's answer wakes that thread, then
asks the thread to stop. When the answer wins the race, the thread waits its 60 s out;
a worker that waits for it too outlives a process manager's grace period and is killed.
That race was seen once, under load, as a takedown that took 61 s.
"""

import threading
import time
import uuid

import pytest
from django.conf import settings
from rq import Queue, SimpleWorker

from homeward.redis import redis_client

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="needs a real Redis (REDIS_URL)")

GRACE_SECONDS = 5


def test_a_worker_stops_promptly_when_its_channel_answers_before_it_stops():
    connection = redis_client(settings.REDIS_URL)
    worker = SimpleWorker(
        [Queue(f"test-{uuid.uuid4().hex}", connection=connection)], connection=connection
    )
    worker.subscribe()
    # The race's losing order, made certain: the thread has read Redis's answer to the
    # unsubscribe, and waits again, before the worker asks it to stop.
    worker.pubsub.unsubscribe()
    deadline = time.monotonic() + GRACE_SECONDS
    while worker.pubsub.subscribed and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not worker.pubsub.subscribed
    time.sleep(0.1)

    stopping = threading.Thread(target=worker.unsubscribe, daemon=True)
    started = time.monotonic()
    stopping.start()
    stopping.join(GRACE_SECONDS)

    assert not stopping.is_alive(), f"the worker was still stopping after {GRACE_SECONDS} s"
    print(f"\nworker stopped in {time.monotonic() - started:.2f} s")
