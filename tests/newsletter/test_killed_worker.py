"""A real RQ worker, killed with SIGKILL in the middle of a campaign, then restarted.

Killed before a message is handed over, every Hero gets exactly one email. Killed after
the mail server has the whole message but before its reply, that one message is in
doubt: a regular email leaves it "uncertain" (its Hero has one email, never two), an
urgent alert sends it again (its Hero has two). Needs PostgreSQL and Redis
(DATABASE_URL, REDIS_URL).
"""

import os
import signal
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from rq import Queue

from appeals.models import AppealPage
from homeward import jobs
from homeward.redis import redis_client
from newsletter.models import Campaign, Delivery, Hero
from newsletter.services import campaign_regular_due, campaign_urgent_alert, campaigns_sweep
from newsletter.services import campaigns as campaign_services
from tests import factories
from tests.mail import Controller, Mailbox, free_port
from tests.newsletter.test_campaigns import thursday_morning
from tests.processes import kill_session

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="a worker in another process needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL)",
    ),
]
HEROES = 400
KILL_AT_MESSAGE = 130  # in the third batch of 50

WORKER = """
import django
django.setup()
from rq import Worker
from homeward.redis import redis_client
Worker([{queue!r}], connection=redis_client({url!r})).work(burst=True)
"""


class KillingMailbox(Mailbox):
    """Kills the worker while it waits for the server to accept a recipient ("rcpt") or
    the final "." of a message ("dot"): the server has that message, the worker never
    hears so. ``in_doubt`` is whose it was."""

    worker: subprocess.Popen | None = None
    kill_at = "rcpt"
    in_doubt = ""
    recipients_seen = 0
    messages_seen = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.recipients_seen += 1
        if self.worker and self.kill_at == "rcpt" and self.recipients_seen == KILL_AT_MESSAGE:
            kill_session(self.worker.pid)
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    async def handle_DATA(self, server, session, envelope):
        self.messages_seen += 1
        if self.worker and self.kill_at == "dot" and self.messages_seen == KILL_AT_MESSAGE:
            kill_session(self.worker.pid)
            self.in_doubt = envelope.rcpt_tos[0]
        return await super().handle_DATA(server, session, envelope)


def start_worker(queue: Queue, port: int) -> subprocess.Popen:
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "homeward.settings_test",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        ),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "0",
        "BASE_URL": settings.BASE_URL,
    }
    code = WORKER.format(queue=queue.name, url=settings.REDIS_URL)
    # Its own session, which the job's work horse stays in: the kill takes both.
    return subprocess.Popen(  # noqa: S603 (our own code, our own interpreter)
        [sys.executable, "-c", code], env=env, start_new_session=True
    )


@pytest.mark.parametrize(
    ("kind", "kill_at"), [("regular", "rcpt"), ("regular", "dot"), ("urgent", "dot")]
)
def test_a_worker_killed_mid_campaign_then_restarted(
    kind, kill_at, directory, forces, monkeypatch, settings
):
    appeal = factories.appeal_create(parent=directory, police_force=forces[0], title="Efa Imagined")
    Hero.objects.bulk_create(
        Hero(
            email=f"hero{n}@example.org",
            all_of_uk=True,
            urgent_alerts=True,
            status=Hero.Status.CONFIRMED,
        )
        for n in range(HEROES)
    )
    queue = Queue(f"test-{uuid.uuid4().hex}", connection=redis_client(settings.REDIS_URL))
    monkeypatch.setattr(jobs, "_queue", lambda: queue)
    monkeypatch.setattr(campaign_services, "BATCH_SIZE", 50)

    mailbox = KillingMailbox()
    mailbox.kill_at = kill_at
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        if kind == "urgent":
            # Raised to high risk after publishing, so the alert starts here, on our queue.
            AppealPage.objects.filter(pk=appeal.pk).update(risk_level=AppealPage.RiskLevel.HIGH)
            campaign = campaign_urgent_alert(appeal=appeal)
        else:
            campaign = campaign_regular_due(now=thursday_morning())
        assert queue.count == HEROES // 50

        mailbox.worker = start_worker(queue, port)
        assert mailbox.worker.wait(timeout=120) == -signal.SIGKILL
        delivered = len(mailbox.arrivals)
        assert 0 < delivered < HEROES  # killed in the middle
        statuses = dict(campaign.deliveries.values_list("hero__email", "status"))
        assert Delivery.Status.SENDING in statuses.values()  # the killed batch's unsent rows
        in_doubt = [email for email, status in statuses.items() if status == "uncertain"]
        assert in_doubt == ([mailbox.in_doubt] if kill_at == "dot" else [])

        # The sweep (every 20 seconds): too soon after the kill, nothing is taken for dead...
        assert campaigns_sweep()["released"] == 0
        # ...and once the dead worker's claim has had no heartbeat for 40 seconds, the
        # killed batch is queued again at once, behind those it never reached.
        waiting = queue.count
        swept = campaigns_sweep(now=timezone.now() + timedelta(seconds=41))
        assert swept["released"] > 0
        assert swept["batches_requeued"] == 1
        assert queue.count == waiting + 1
        killed_batch = (KILL_AT_MESSAGE - 1) // 50
        assert queue.jobs[-1].kwargs == {"campaign_id": campaign.pk, "batch": killed_batch}

        mailbox.worker = None
        assert start_worker(queue, port).wait(timeout=120) == 0
    finally:
        controller.stop()
        queue.delete(delete_jobs=True)

    received = sorted(arrival.recipients[0] for arrival in mailbox.arrivals)
    repeated = [mailbox.in_doubt] if kind == "urgent" else []
    assert received == sorted([f"hero{n}@example.org" for n in range(HEROES)] + repeated)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DONE
    statuses = dict(campaign.deliveries.values_list("hero__email", "status"))
    if kind == "regular" and kill_at == "dot":
        # Exactly the one in doubt, delivered once and never again, says so.
        assert {email for email, status in statuses.items() if status != "sent"} == {
            mailbox.in_doubt
        }
        assert statuses[mailbox.in_doubt] == Delivery.Status.UNCERTAIN
    else:
        assert set(statuses.values()) == {Delivery.Status.SENT}
