"""Partners' webhooks in production: a publisher closes a live appeal in the admin on
gunicorn, and the jobs worker posts a signed "appeal.deleted" to each subscribed partner's
receiver (an HTTP server on loopback in this process, as a partner would run one).

Proved, against every Procfile process:

- latency: the signed webhook reaches the partner within a minute of the close (the
  figure is recorded), its signature valid, naming no one;
- a jobs worker SIGKILLed (worker and work horse) while the partner holds its request,
  then started again as a supervisor would: the dead worker's claim lapses after its
  lease, the sweep sends the notice again, with the same event id, and the partner,
  keeping one event per ``Homeward-Event-Id``, has each notice once. None is lost, every
  ledger row ends delivered.
"""

import json
import threading
import time

import pytest

from newsletter.models import Partner, PartnerNotice
from newsletter.partner_webhooks import webhook_signature_valid
from newsletter.services.partner_notices import CLAIM_LEASE
from tests.processes import kill_session
from tests.production import data
from tests.production.stack import wait_until
from tests.webhook_receiver import Arrival, WebhookReceiver

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NAME = "Wilhelmina Oddbody"
REASON = "Found safe and well in Scarborough."
TELLING = ["Wilhelmina", "Oddbody", "Scarborough", "safe", "Found"]
ARRIVES_WITHIN = 60  # seconds from the close to the partner's receiver
RESTART_AFTER = 2  # seconds, as systemd's RestartSec=2 in the README
# The dead worker's claim lapses, then the sweep (every 20 seconds) sends it again.
DELIVERED_WITHIN = CLAIM_LEASE.total_seconds() + 60


@pytest.fixture
def receiver():
    receiver = WebhookReceiver()
    yield receiver
    receiver.stop()


def partners_subscribed(receiver: WebhookReceiver, count: int) -> list[Partner]:
    """Active partners of all of the UK with a webhook to ``receiver``."""
    return [
        Partner.objects.create(
            organisation=f"Fictional Partner {n}",
            email=f"partner{n}@partners.example",
            all_of_uk=True,
            webhook_url=f"{receiver.url}/{n}",
        )
        for n in range(count)
    ]


def live_appeal(stack) -> int:
    appeal = data.draft_appeal(title=NAME)
    stack.call("appeals_publish", appeal_ids=[appeal.pk])
    return appeal.pk


def close(publisher_browser, appeal_id: int) -> float:
    """Close the appeal as found in the admin, as test_takedown does; when (time.time())."""
    close_path = f"/admin/appeals/{appeal_id}/close/"
    form = publisher_browser.get(close_path)
    assert form.status_code == 200, f"the close form: {form.status_code}"
    closed_at = time.time()
    response = publisher_browser.submit(close_path, {"outcome": "found", "reason": REASON})
    assert response.status_code == 302, f"closing: {response.status_code} {response.text[:500]}"
    return closed_at


def problems_with(arrival: Arrival, appeal_id: int) -> list[str]:
    """What is wrong with one request the partner got: its signature, its body."""
    notice = (
        PartnerNotice.objects.select_related("partner").filter(event_id=arrival.event_id).first()
    )
    if notice is None:
        return [f"an event no notice has: {arrival.event_id!r}"]
    problems = []
    signature = arrival.headers.get("Homeward-Signature", "")
    if not webhook_signature_valid(
        notice.partner.webhook_secret, signature, arrival.body, now=arrival.at
    ):
        problems.append(f"a bad signature on {arrival.event_id}: {signature!r}")
    body = json.loads(arrival.body)
    if body != notice.body or body.get("id") != appeal_id or body.get("event") != "appeal.deleted":
        problems.append(f"the body of {arrival.event_id} is {body}")
    if told := [word for word in TELLING if word in arrival.body.decode()]:
        problems.append(f"the body of {arrival.event_id} says {told}")
    return problems


def test_a_partner_hears_of_a_takedown_within_a_minute(stack, figures, publisher_browser, receiver):
    figures.scenario = "partner_webhook_latency"
    [partner] = partners_subscribed(receiver, 1)
    appeal_id = live_appeal(stack)

    closed_at = close(publisher_browser, appeal_id)
    arrived = wait_until(receiver.arrivals, timeout=ARRIVES_WITHIN, interval=0.1)
    notices = PartnerNotice.objects.filter(partner=partner)
    delivered = wait_until(
        lambda: notices.filter(status=PartnerNotice.Status.DELIVERED).exists(), timeout=10
    )

    figures.tried = 1
    figures.lost = 0 if arrived else 1
    figures.duplicated = max(0, len(receiver.arrivals()) - 1)
    if arrived:
        figures.recovery_s = round(arrived[0].at - closed_at, 2)
    figures.details = {"ledger": list(notices.values_list("status", flat=True))}

    assert arrived, (
        f"no webhook within {ARRIVES_WITHIN} s of the close; ledger: "
        f"{list(notices.values('status', 'attempts', 'last_error'))}"
    )
    problems = [problem for arrival in arrived for problem in problems_with(arrival, appeal_id)]
    if not delivered:
        problems.append(f"the ledger does not say delivered: {figures.details['ledger']}")
    assert not problems, "\n".join(problems)


def test_a_worker_killed_mid_webhook_leaves_each_partner_each_event_once(
    stack, figures, publisher_browser, receiver
):
    partners = partners_subscribed(receiver, 3)
    appeal_id = live_appeal(stack)
    worker = stack.processes["jobs_worker"]
    killed = threading.Event()
    moments: dict[str, float] = {}

    def kill_the_sender(arrival: Arrival) -> None:
        """The partner has the whole request; its sender dies before hearing the answer."""
        if killed.is_set():
            return
        kill_session(worker.pid)
        moments["killed"] = time.time()
        killed.set()

    receiver.on_arrival = kill_the_sender
    close(publisher_browser, appeal_id)
    assert killed.wait(timeout=ARRIVES_WITHIN), "no webhook reached the partner to kill its sender"
    worker.popen.wait(timeout=10)  # dead, with its work horse
    time.sleep(RESTART_AFTER)
    stack.restart("jobs_worker")

    notices = PartnerNotice.objects.filter(partner__in=partners)

    def all_delivered() -> bool:
        statuses = list(notices.values_list("status", flat=True))
        return len(statuses) == len(partners) and set(statuses) == {"delivered"}

    settled = wait_until(
        all_delivered,
        timeout=max(0.0, moments["killed"] + DELIVERED_WITHIN - time.time()),
        interval=1,
    )
    if settled:
        figures.recovery_s = round(time.time() - moments["killed"], 1)
        time.sleep(5)  # a late extra copy would show now
    arrivals = receiver.arrivals()
    events = receiver.events()  # one per Homeward-Event-Id, as the partner keeps them
    owed = {str(event_id) for event_id in notices.values_list("event_id", flat=True)}
    lost = sorted(owed - set(events))
    unknown = sorted(set(events) - owed)
    copies = {event_id: [a for a in arrivals if a.event_id == event_id] for event_id in events}
    differing = [event_id for event_id, sent in copies.items() if len({a.body for a in sent}) > 1]

    figures.tried = len(partners)
    figures.lost = len(lost)
    figures.duplicated = len(arrivals) - len(events)
    figures.details = {
        "ledger": sorted(notices.values_list("status", "attempts")),
        "arrivals": len(arrivals),
        "events_kept": len(events),
    }

    problems = [problem for arrival in arrivals for problem in problems_with(arrival, appeal_id)]
    if not settled:
        problems.append(
            f"not every notice was delivered {DELIVERED_WITHIN:.0f} s after the kill: "
            f"{list(notices.values('status', 'attempts', 'last_error', 'claimed_at'))}"
        )
    if lost:
        problems.append(f"{len(lost)} of {len(owed)} events never reached the partner: {lost}")
    if unknown:
        problems.append(f"the partner got events no notice has: {unknown}")
    if differing:
        problems.append(f"a repeat differed from the first copy: {differing}")
    if len(owed) != len(partners):
        problems.append(f"{len(owed)} notices for {len(partners)} subscribed partners")
    assert not problems, "\n".join(problems)
