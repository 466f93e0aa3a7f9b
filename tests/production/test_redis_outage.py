"""Redis killed for 20 seconds, then started again on the same port, empty.

Proved against every Procfile process:

- during the outage, the public pages (home, directory, an appeal) answer 200, never 5xx;
- sightings sent through the public form on a high-risk appeal (half of them "with them
  now") are accepted with a receipt and stored;
- a publisher can close another appeal, and its address answers 410 at once;
- once Redis is back the scheduler (the same process, never restarted) queues its jobs
  again, the closed appeal's takedown finishes, and every sighting's alert reaches the
  force's duty address exactly once, within three minutes (the sweep runs each minute
  for sightings at least a minute old);
- no process of the Procfile exited (a Procfile runner would stop them all if one did).
"""

import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime

import pytest

from appeals.models import AppealIndexPage, AppealPage, AppealTakedown
from sightings.models import Sighting
from tests.production import data
from tests.production.browser import NO_ANSWER, Report, Visitor, report_sighting
from tests.production.stack import wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OUTAGE_SECONDS = 20
REPORTERS = 4  # people sending sightings at the same time, each one after another
ALERTS_WITHIN = 180  # seconds after Redis is back


def test_a_redis_outage_loses_no_page_no_sighting_and_no_alert(stack, figures, publisher_browser):
    appeal = data.draft_appeal(title="Tamsin Oakenshield", risk_level=AppealPage.RiskLevel.HIGH)
    other = data.draft_appeal(title="Orrin Fellwood")
    duty = data.duty_address_set(appeal)
    paths = stack.call("appeals_publish", appeal_ids=[appeal.pk, other.pk])
    path, other_path = paths[str(appeal.pk)], paths[str(other.pk)]
    pages = ["/", AppealIndexPage.objects.get().url, path]
    visitor = Visitor(stack.base_url)
    for page in [*pages, other_path]:
        assert visitor.status(page) == 200, f"before the outage: {page}"
    scheduler = stack.processes["scheduler"]
    scheduler_pid, scheduler_starts = scheduler.pid, scheduler.starts
    close_path = f"/admin/appeals/{other.pk}/close/"
    run = uuid.uuid4().hex[:8]

    page_statuses: list[tuple[str, int]] = []
    reports: list[Report] = []
    lock = threading.Lock()
    outage_ends = time.monotonic() + OUTAGE_SECONDS

    def browse() -> None:
        browser = Visitor(stack.base_url)
        while time.monotonic() < outage_ends:
            for page in pages:
                status = browser.status(page)
                with lock:
                    page_statuses.append((page, status))

    def report(reporter: int) -> None:
        browser = Visitor(stack.base_url)
        number = 0
        while time.monotonic() < outage_ends - 3.5:  # the form takes 3 s to fill in
            number += 1
            sent = report_sighting(
                browser,
                appeal.pk,
                Report(
                    description=f"Outage {run}: reporter {reporter}, sighting {number}.",
                    with_them_now=(reporter + number) % 2 == 0,
                ),
            )
            with lock:
                reports.append(sent)
            if not sent.accepted:
                time.sleep(1)  # a person tries again a moment later

    stack.redis.kill()
    killed_at = time.monotonic()
    threads = [threading.Thread(target=browse)]
    threads += [threading.Thread(target=report, args=(n,)) for n in range(REPORTERS)]
    for thread in threads:
        thread.start()
    time.sleep(5)
    close = publisher_browser.submit(
        close_path, {"outcome": "withdrawn", "reason": "The police asked for it."}
    )
    closed_gone = visitor.status(other_path)
    for thread in threads:
        thread.join(timeout=OUTAGE_SECONDS + 60)
    time.sleep(max(0.0, killed_at + OUTAGE_SECONDS - time.monotonic()))
    redis_outage = round(time.monotonic() - killed_at, 1)
    stack.redis.start()
    back_at, back_at_utc = time.monotonic(), datetime.now(UTC)

    # Afterwards: the alerts, the scheduler and the takedown.
    descriptions = [sent.description for sent in reports]
    stored = dict(
        Sighting.objects.filter(description__in=descriptions).values_list(
            "description", "reference"
        )
    )

    def alerts() -> dict[str, int]:
        subjects = stack.mailbox.subjects_to(duty)
        return {
            reference: sum(reference in subject for subject in subjects)
            for reference in stored.values()
        }

    def recovered() -> bool:
        # A takedown that was never started (the close failed) is reported below.
        takedown = AppealTakedown.objects.filter(appeal_id=other.pk).first()
        return (
            all(alerts().values())
            and stack.jobs_created_since("sightings_follow_up_sweep", back_at_utc) > 0
            and (takedown is None or takedown.completed_at is not None)
        )

    if wait_until(recovered, timeout=ALERTS_WITHIN, interval=2):
        figures.recovery_s = round(time.monotonic() - back_at, 1)
        time.sleep(5)  # a late second copy would show now
    sent_alerts = alerts()
    takedown = AppealTakedown.objects.filter(appeal_id=other.pk).first()
    sweeps_after = stack.jobs_created_since("sightings_follow_up_sweep", back_at_utc)

    statuses = [status for _, status in page_statuses]
    statuses += [sent.form_status for sent in reports] + [sent.status for sent in reports]
    statuses += [close.status_code, closed_gone]
    figures.tried = len(reports)
    figures.lost = len(reports) - len(stored)
    figures.duplicated = sum(max(0, count - 1) for count in sent_alerts.values())
    figures.errors_5xx = sum(status >= 500 for status in statuses)
    figures.details = {
        "outage_s": redis_outage,
        "page_gets": len(page_statuses),
        "stored": len(stored),
        "accepted": sum(sent.accepted for sent in reports),
        "alerts_sent": sum(count > 0 for count in sent_alerts.values()),
        "no_answer": statuses.count(NO_ANSWER),
    }

    problems = []
    bad_pages = Counter((page, status) for page, status in page_statuses if status != 200)
    if bad_pages:
        problems.append(
            f"{bad_pages.total()} of {len(page_statuses)} page GETs during the outage did not "
            f"answer 200 ((page, status): count): {dict(bad_pages)}"
        )
    if not reports:
        problems.append("no sighting could be sent during the outage")
    refused = Counter(
        (sent.form_status, sent.status, sent.error[:120]) for sent in reports if not sent.accepted
    )
    if refused:
        problems.append(
            f"{refused.total()} of {len(reports)} sightings were not accepted "
            f"((form status, post status, what was said): count): {dict(refused)}"
        )
    if figures.lost:
        problems.append(f"{figures.lost} of {len(reports)} sightings were not stored")
    if close.status_code != 302 or closed_gone != 410:
        problems.append(
            f"closing during the outage answered {close.status_code} "
            f"({close.text[:200]!r}); the closed appeal's address then answered {closed_gone}"
        )
    if not (scheduler.running and scheduler.pid == scheduler_pid):
        problems.append(f"the scheduler did not survive (exit code {scheduler.exit_code})")
    if scheduler.starts != scheduler_starts:
        problems.append("the scheduler was restarted")
    if not sweeps_after:
        problems.append("the scheduler queued no sightings sweep after Redis came back")
    missing = sorted(reference for reference, count in sent_alerts.items() if count == 0)
    doubled = sorted(reference for reference, count in sent_alerts.items() if count > 1)
    if missing:
        problems.append(
            f"{len(missing)} of {len(stored)} alerts did not reach {duty} within "
            f"{ALERTS_WITHIN} s of Redis coming back: {missing}"
        )
    if doubled:
        problems.append(f"alerts sent more than once: {doubled}")
    if takedown is None or takedown.completed_at is None:
        problems.append(
            "the appeal closed during the outage was not fully taken down: steps pending "
            f"{takedown.steps_pending() if takedown else 'all'}, last error "
            f"{takedown.last_error if takedown else 'no record'!r}"
        )
    if stack.exited():
        problems.append(f"processes of the Procfile exited: {stack.exited()}")
    assert not problems, "\n".join(problems)
