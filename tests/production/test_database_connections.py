"""PostgreSQL connections terminated in the middle of a burst of sightings.

Fifty sightings are sent through the public form by five people at once. While they are
in flight the test terminates every other connection to the test database three times
(`pg_terminate_backend`, from its own connection): gunicorn's, the workers' and the
scheduler's, as a failover or a restart of PostgreSQL would.

Proved: no report is lost. Every POST either redirects to a receipt and is stored, or
(the product's stated fallback, counted apart) answers with the form and every answer
kept, and sending that form again stores it. Nothing is stored twice, no Procfile process
exits, and the form takes reports again straight away.
"""

import random
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from sightings.models import Sighting
from tests.production import data
from tests.production.browser import (
    NO_ANSWER,
    Report,
    Visitor,
    form_token,
    report_form_token,
    report_send,
)
from tests.production.stack import wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPORTS = 50
SENDERS = 5
# Terminate when this many POSTs have been answered: each time, others are in flight.
TERMINATE_AFTER = (8, 22, 36)
RECOVERY_WITHIN = 30  # seconds

TERMINATE = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
    "WHERE datname = %s AND pid <> pg_backend_pid()"
)


def test_terminated_database_connections_lose_no_sighting(stack, figures):
    appeal = data.draft_appeal(title="Idris Marlowe")
    stack.call("appeals_publish", appeal_ids=[appeal.pk])
    run = uuid.uuid4().hex[:8]
    local = threading.local()

    def visitor() -> Visitor:
        if not hasattr(local, "visitor"):
            local.visitor = Visitor(stack.base_url)
        return local.visitor

    with ThreadPoolExecutor(SENDERS) as pool:
        tokens = list(
            pool.map(lambda _: report_form_token(visitor(), appeal.pk), range(REPORTS + 1))
        )
    probe_token = tokens.pop()
    time.sleep(3.2)  # the form must have been open for 3 s

    reports = [Report(f"Burst {run}: sighting {n}.", with_them_now=False) for n in range(REPORTS)]

    def send(report: Report, token: str) -> Report:
        time.sleep(random.uniform(0, 0.1))  # people do not press at the same instant
        return report_send(visitor(), appeal.pk, token, report)

    terminations: list[dict] = []
    with ThreadPoolExecutor(SENDERS) as pool, connection.cursor() as cursor:
        futures = [
            pool.submit(send, report, token) for report, token in zip(reports, tokens, strict=True)
        ]
        for threshold in TERMINATE_AFTER:
            wait_until(
                lambda threshold=threshold: sum(future.done() for future in futures) >= threshold,
                timeout=60,
                interval=0.01,
            )
            cursor.execute(TERMINATE, [connection.settings_dict["NAME"]])
            terminations.append(
                {
                    "at": time.monotonic(),
                    "connections": len(cursor.fetchall()),
                    "answered_before": sum(future.done() for future in futures),
                }
            )
        for future in futures:
            future.result(timeout=120)
    last_termination = terminations[-1]["at"]

    # The form takes reports again (the probe's token was fetched with the others).
    probe = Report(f"Burst {run}: after the burst.", with_them_now=False)
    probed = wait_until(
        lambda: report_send(visitor(), appeal.pk, probe_token, probe).accepted,
        timeout=RECOVERY_WITHIN,
        interval=0.5,
    )
    if probed:
        figures.recovery_s = round(time.monotonic() - last_termination, 1)

    # A reporter whose answers came back sends the form again, as it asks them to.
    kept = [report for report in reports if not report.accepted and report.answers_kept]
    resent = []
    if kept:
        time.sleep(3.2)
        for report in kept:
            again = Report(report.description, with_them_now=False)
            resent.append(report_send(visitor(), appeal.pk, form_token(report.reply), again))

    stored = Counter(
        Sighting.objects.filter(description__startswith=f"Burst {run}:").values_list(
            "description", flat=True
        )
    )
    receipts = [report for report in reports if report.accepted]
    receipt_not_stored = [report for report in receipts if not stored[report.description]]
    unacceptable = [report for report in reports if not report.accepted and not report.answers_kept]
    resent_failed = [report for report in resent if not report.accepted]
    lost = [report for report in reports if not stored[report.description]]
    statuses = [report.status for report in [*reports, *resent]]

    figures.tried = REPORTS
    figures.lost = len(lost)
    figures.duplicated = sum(count - 1 for count in stored.values() if count > 1)
    figures.errors_5xx = sum(status >= 500 for status in statuses)
    figures.details = {
        "receipts": len(receipts),
        "answers_kept": f"{len(kept)} ({dict(Counter(report.status for report in kept))})",
        "resent_ok": len(resent) - len(resent_failed),
        "unacceptable": len(unacceptable),
        "terminations": [
            f"{each['connections']} connections after {each['answered_before']} answers"
            for each in terminations
        ],
        "no_answer": statuses.count(NO_ANSWER),
    }
    print(
        f"\nStated fallback: {len(kept)} of {REPORTS} POSTs answered with the form and the "
        f"reporter's answers kept (statuses {sorted({report.status for report in kept})}); "
        f"{len(resent) - len(resent_failed)} stored when sent again."
    )

    problems = []
    if unacceptable:
        problems.append(
            f"{len(unacceptable)} POSTs neither gave a receipt nor kept the answers: "
            f"{[(report.status, report.error[:100]) for report in unacceptable]}"
        )
    if receipt_not_stored:
        problems.append(f"{len(receipt_not_stored)} receipts were given for reports not stored")
    if resent_failed:
        problems.append(
            f"{len(resent_failed)} reports sent again from the kept answers were refused: "
            f"{[(report.status, report.error[:100]) for report in resent_failed]}"
        )
    if lost:
        problems.append(f"{len(lost)} of {REPORTS} reports were lost")
    if figures.duplicated:
        problems.append(f"{figures.duplicated} reports were stored twice")
    if not probed:
        problems.append(f"the form took no report within {RECOVERY_WITHIN} s after the burst")
    if stack.exited():
        problems.append(f"processes of the Procfile exited: {stack.exited()}")
    assert not problems, "\n".join(problems)
