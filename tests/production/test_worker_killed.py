"""A jobs worker SIGKILLed mid-campaign, then restarted as a supervisor would.

The regular Heroes email is started in production (`campaign_regular_due`, with a time in
its schedule's window) to 300 confirmed Heroes of all of the UK. When the SMTP sink has
been offered 40% of them, it kills the jobs_worker's whole session (worker and work horse,
as tests/newsletter/test_killed_worker does); two seconds later the test starts that
Procfile line again (systemd's RestartSec=2 in the README).

Proved: within two minutes of the kill every Hero has the email exactly once, or, for the
one message that may have been in the mail server's hands when the worker died, none and
the ledger says "uncertain". Nobody gets two.
"""

import re
import threading
import time
import uuid

import pytest

from newsletter.models import Campaign, Delivery, Hero
from tests.newsletter.test_campaigns import thursday_morning
from tests.processes import kill_session
from tests.production import data
from tests.production.stack import wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

HEROES = 300
KILL_AT_RECIPIENT = 120  # 40%
RESTART_AFTER = 2  # seconds, as systemd's RestartSec=2
EVERYONE_WITHIN = 120  # seconds after the kill
UNCERTAIN = "uncertain"
MESSAGE_ID = re.compile(rb"^Message-ID: <homeward\.(\d+)@", re.MULTILINE)


def test_a_worker_killed_mid_campaign_leaves_each_hero_one_email(stack, figures):
    appeal = data.draft_appeal(title="Efa Imagined")
    stack.call("appeals_publish", appeal_ids=[appeal.pk])
    run = uuid.uuid4().hex[:8]
    addresses = [f"hero{n}.{run}@example.org" for n in range(HEROES)]
    Hero.objects.bulk_create(
        Hero(email=address, all_of_uk=True, status=Hero.Status.CONFIRMED) for address in addresses
    )
    heroes = set(addresses)
    worker = stack.processes["jobs_worker"]
    killed = threading.Event()
    offered: list[str] = []
    moments: dict[str, float] = {}

    def kill_at_forty_percent(address: str) -> None:
        if address not in heroes or killed.is_set():
            return
        offered.append(address)
        if len(offered) == KILL_AT_RECIPIENT:
            kill_session(worker.pid)
            moments["killed"] = time.monotonic()
            killed.set()

    stack.mailbox.on_recipient = kill_at_forty_percent
    started = stack.call("campaign_regular_start", now=thursday_morning().isoformat())
    campaign_id = started["campaign_id"]

    assert killed.wait(timeout=90), (
        f"the campaign never reached recipient {KILL_AT_RECIPIENT} ({len(offered)} offered); "
        f"deliveries: {statuses_of(campaign_id)}"
    )
    stack.mailbox.on_recipient = None
    delivered_at_kill = sum(
        1 for count in received_by(stack, heroes, campaign_id).values() if count
    )
    worker.popen.wait(timeout=10)  # dead, with its work horse
    time.sleep(RESTART_AFTER)
    stack.restart("jobs_worker")

    def everyone_settled() -> bool:
        received = received_by(stack, heroes, campaign_id)
        uncertain = {
            email for email, status in statuses_of(campaign_id).items() if status == UNCERTAIN
        }
        return all(received.get(address) or address in uncertain for address in heroes)

    settled = wait_until(
        everyone_settled,
        timeout=max(0.0, moments["killed"] + EVERYONE_WITHIN - time.monotonic()),
        interval=2,
    )
    if settled:
        figures.recovery_s = round(time.monotonic() - moments["killed"], 1)
        time.sleep(5)  # a late second copy would show now
    received = received_by(stack, heroes, campaign_id)
    statuses = statuses_of(campaign_id)
    uncertain = sorted(email for email, status in statuses.items() if status == UNCERTAIN)
    missing = sorted(
        address for address in heroes if not received.get(address) and address not in uncertain
    )
    twice = sorted(address for address, count in received.items() if count > 1)
    campaign = Campaign.objects.get(pk=campaign_id)

    figures.tried = HEROES
    figures.lost = len(missing)
    figures.duplicated = sum(count - 1 for count in received.values() if count > 1)
    figures.details = {
        "started_by": started["started_by"],
        "delivered_before_kill": delivered_at_kill,
        "delivered": sum(1 for count in received.values() if count),
        "uncertain": len(uncertain),
        "ledger": count_by_status(statuses),
        "campaign": campaign.status,
    }

    problems = []
    if missing:
        problems.append(
            f"{len(missing)} of {HEROES} Heroes had no email {EVERYONE_WITHIN} s after the "
            f"kill and the ledger does not say uncertain; ledger: {count_by_status(statuses)}; "
            f"for example {missing[:5]} are "
            f"{sorted({statuses.get(address) for address in missing})}"
        )
    if twice:
        problems.append(f"{len(twice)} Heroes got the email more than once: {twice[:10]}")
    if len(uncertain) > 1:
        problems.append(
            f"{len(uncertain)} deliveries are uncertain; only the one in the mail server's "
            f"hands when the worker died can be: {uncertain[:10]}"
        )
    assert not problems, "\n".join(problems)


def received_by(stack, heroes: set[str], campaign_id: int) -> dict[str, int]:
    """How many copies of a regular email each Hero got. Only emails of this test's
    campaign count: from Thursday 10:00 the scheduler starts this week's own regular email
    (to these Heroes too, if they exist by then), which is another email, not a repeat."""
    with stack.mailbox.lock:
        arrivals = list(stack.mailbox.arrivals)
    ours = set(Delivery.objects.filter(campaign_id=campaign_id).values_list("id", flat=True))
    recipients = [
        address
        for arrival in arrivals
        if (found := MESSAGE_ID.search(arrival.data)) and int(found[1]) in ours
        for address in arrival.recipients
    ]
    counts = dict.fromkeys(heroes, 0)
    for address in recipients:
        if address in counts:
            counts[address] += 1
    return counts


def statuses_of(campaign_id: int) -> dict[str, str]:
    return dict(
        Delivery.objects.filter(campaign_id=campaign_id).values_list("hero__email", "status")
    )


def count_by_status(statuses: dict[str, str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in statuses.values():
        counts[status] = counts.get(status, 0) + 1
    return counts
