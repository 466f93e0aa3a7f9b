"""Measurements of the triage queue, run inside Django (see bench_triage.py).

Prints one JSON line: the queue page's server time, its query plans, and the latency of
claiming the next sighting with several officers at once.
"""

import json
import multiprocessing
import statistics
import time

from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sightings import services
from sightings.models import Sighting
from sightings.selectors import sighting_queue, sighting_queue_rows
from tests.second_factor import session_verify

PAGE_RUNS = 100  # p95 of fewer is the second-slowest run: too much noise here
CLAIMS_PER_OFFICER = 40


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def figures(milliseconds: list[float]) -> dict:
    return {
        "runs": len(milliseconds),
        "p50_ms": round(statistics.median(milliseconds), 2),
        "p95_ms": round(percentile(milliseconds, 0.95), 2),
        "max_ms": round(max(milliseconds), 2),
    }


def plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def queue_page(officer) -> dict:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(officer)
    session_verify(client, officer)  # past the second factor every admin URL asks for
    client.get("/admin/sightings/")  # warm: templates, menus, connections
    with CaptureQueriesContext(connection) as queries:
        client.get("/admin/sightings/")
    query_count = len(queries)  # now: the next request clears the connection's log
    timings = []
    for _ in range(PAGE_RUNS):
        started = time.perf_counter()
        response = client.get("/admin/sightings/")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code

    # The queue's first page as it opens: the open sightings (its status filter's default).
    open_queue = sighting_queue(user=officer).exclude(status=Sighting.Status.CLOSED)
    queue = sighting_queue_rows(open_queue)
    page_sql, page_params = queue[:50].query.sql_with_params()
    # The paginator's count: Django leaves the title subquery out of it.
    open_sql, count_params = open_queue.order_by().values("pk").query.sql_with_params()
    count_sql = f"SELECT COUNT(*) FROM ({open_sql}) AS open"  # noqa: S608  Django's own SQL
    raw = []
    with connection.cursor() as cursor:
        for _ in range(PAGE_RUNS):
            started = time.perf_counter()
            cursor.execute(page_sql, page_params)
            cursor.fetchall()
            cursor.execute(count_sql, count_params)
            cursor.fetchone()
            raw.append((time.perf_counter() - started) * 1000)
    # The reference: a small Wagtail admin page of ours, the same chrome around a short list.
    reference = []
    for _ in range(PAGE_RUNS):
        started = time.perf_counter()
        client.get("/admin/appeals/police-authorisation/")
        reference.append((time.perf_counter() - started) * 1000)
    return {
        "page": figures(timings),
        "reference_admin_page": figures(reference),
        "raw_queries": figures(raw),
        "queries": query_count,
        "open_in_queue": queue.count(),
        "plan_page": plan(page_sql, page_params),
        "plan_count": plan(count_sql, count_params),
    }


def _claims(user_id: int, results, together) -> None:
    """One officer: claims the next sighting, in rounds that start with every officer's."""
    connections.close_all()  # a fresh connection in this process
    officer = get_user_model().objects.get(pk=user_id)
    # Warm, as a web worker would be: the connection, caches, the compiled statement.
    services.sighting_claim_next(user=officer)
    timings = []
    for _ in range(CLAIMS_PER_OFFICER):
        together.wait()
        started = time.perf_counter()
        claimed = services.sighting_claim_next(user=officer)
        timings.append((time.perf_counter() - started) * 1000)
        assert claimed is not None
    results.put(timings)
    connections.close_all()


def _reference_updates(sighting_ids: list[int], results, together) -> None:
    """The floor: a single-row UPDATE by primary key, from the same number of processes."""
    connections.close_all()
    timings = []
    with connection.cursor() as cursor:
        for sighting_id in sighting_ids:
            together.wait()
            started = time.perf_counter()
            cursor.execute(
                "UPDATE sightings_sighting SET claimed_at = now() WHERE id = %s", [sighting_id]
            )
            timings.append((time.perf_counter() - started) * 1000)
    results.put(timings)
    connections.close_all()


def in_processes(target, arguments: list) -> list[float]:
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    together = context.Barrier(len(arguments))
    connections.close_all()
    processes = [
        context.Process(target=target, args=(argument, results, together)) for argument in arguments
    ]
    for process in processes:
        process.start()
    timings = [timing for _ in processes for timing in results.get(timeout=300)]
    for process in processes:
        process.join()
    return timings


def claim_next_plan(officer) -> str:
    with transaction.atomic():
        top = (
            sighting_queue(user=officer)
            .filter(status=Sighting.Status.NEW, claimed_by__isnull=True)
            .select_for_update(skip_locked=True, of=("self",))
            .values("pk")[:1]
        )
        return plan(*top.query.sql_with_params())


def main(*, officer_username: str, claimers: list[str]) -> None:
    users = get_user_model().objects
    officer = users.get(username=officer_username)
    claimer_ids = list(users.filter(username__in=claimers).values_list("pk", flat=True))
    result = {"queue": queue_page(officer), "plan_claim_next": claim_next_plan(officer)}
    # 1, 2 and 4 officers first: how the latency grows with contention for the 2 cores.
    result["claim_next_by_officers"] = {
        count: figures(in_processes(_claims, claimer_ids[:count])) for count in (1, 2, 4)
    }
    result["claim_next"] = figures(in_processes(_claims, claimer_ids))
    closed = list(
        Sighting.objects.filter(
            police_force_id=officer.police_officer.force_id, status=Sighting.Status.CLOSED
        ).values_list("pk", flat=True)[: len(claimer_ids) * CLAIMS_PER_OFFICER]
    )
    chunks = [closed[n :: len(claimer_ids)] for n in range(len(claimer_ids))]
    result["reference_update"] = figures(in_processes(_reference_updates, chunks))
    print(json.dumps(result))
