"""Takedown latency with a real RQ worker on the real Redis: from marking an appeal found
to the last public surface gone, with 1,000 unsent emails and its social posts to delete.
Needs Redis (REDIS_URL); the worker is rq's SimpleWorker in this process, so that the
networks' faked HTTP APIs (responses) apply to it."""

import time
import uuid

import pytest
import responses
from django.conf import settings
from django.urls import reverse
from rq import Queue, SimpleWorker

from appeals.models import AppealTakedown, SocialPost
from appeals.services import appeal_close
from homeward import jobs
from homeward.redis import redis_client
from newsletter.models import Delivery, Hero
from newsletter.services import campaign_urgent_alert
from tests import factories
from tests.appeals.channel_fakes import (
    MASTODON_STATUS_ID,
    MASTODON_STATUSES,
    X_TWEET_ID,
    x_deletes,
)
from tests.appeals.test_takedown import NAME, media_served, media_urls

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs a real Redis (REDIS_URL)"),
]
HEROES = 1000
LIMIT_SECONDS = 60


def test_takedown_latency_with_a_real_worker(
    client, directory, x_on, mastodon_on, network, monkeypatch
):
    queue = Queue(f"test-{uuid.uuid4().hex}", connection=redis_client(settings.REDIS_URL))
    monkeypatch.setattr(jobs, "_queue", lambda: queue)
    appeal = factories.appeal_create(parent=directory, title=NAME, risk_level="high", photos=2)
    heroes = Hero.objects.bulk_create(
        Hero(email=f"hero{n}@example.org", status="confirmed", urgent_alerts=True)
        for n in range(HEROES)
    )
    Hero.areas.through.objects.bulk_create(
        Hero.areas.through(hero_id=hero.pk, policeforce_id=appeal.police_force_id)
        for hero in heroes
    )
    campaign_urgent_alert(appeal=appeal)
    queue.empty()  # its batches have not been sent: every email is still queued
    SocialPost.objects.filter(appeal=appeal).delete()
    posts = [
        SocialPost.objects.create(appeal=appeal, channel=channel, status="posted", reference=ref)
        for channel, ref in (("x", X_TWEET_ID), ("mastodon", MASTODON_STATUS_ID))
    ]
    x_deletes(network)
    network.add(
        responses.DELETE,
        f"{MASTODON_STATUSES}/{MASTODON_STATUS_ID}",
        json={"id": MASTODON_STATUS_ID},
    )
    photos = media_urls(client.get(appeal.url).content.decode())
    photos |= media_urls(client.get(directory.url).content.decode())
    assert Delivery.objects.filter(status="queued").count() == HEROES

    started = time.monotonic()
    appeal_close(
        appeal=appeal, user=factories.user_create(is_superuser=True), outcome="found", reason="x"
    )
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    assert client.get(appeal.url).status_code == 410
    assert NAME not in client.get(directory.url).content.decode()
    assert NAME not in client.get(f"{directory.url}feed/").content.decode()
    assert appeal.url not in client.get("/sitemap.xml").content.decode()
    assert not any(media_served(url) for url in photos)
    assert client.get(reverse("sighting-report", args=[appeal.pk])).status_code == 404
    assert not Delivery.objects.filter(status="queued").exists()
    assert all(
        SocialPost.objects.get(pk=post.pk).deletion == SocialPost.Deletion.DELETED for post in posts
    )
    assert AppealTakedown.objects.get().completed_at is not None
    seconds = time.monotonic() - started

    print(
        f"\ntakedown latency: {seconds:.2f} s from marking found to the last public surface "
        f"gone ({HEROES} unsent emails, {len(posts)} social posts)"
    )
    assert seconds < LIMIT_SECONDS
    queue.delete(delete_jobs=True)
