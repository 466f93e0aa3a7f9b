"""Appeal pages under gunicorn: a plain Django view, an uncached and a cached appeal page.

Goals (issue "Foundation"): the cached appeal page serves at least 0.5x the plain view's
requests per second, and an uncached appeal page makes at most 10 SQL queries.

    make bench        # or: .venv/bin/python -m tests.bench.bench_pages
"""

import os
import textwrap

from tests.bench.common import gunicorn, manage, prepare_site, save, wrk

WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
GOAL_RATIO = 0.5
GOAL_QUERIES = 10

COUNT_QUERIES = textwrap.dedent(
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from appeals.models import AppealPage
    url = AppealPage.objects.publicly_visible().order_by("pk").first().url
    client = Client()
    client.get(url)  # renditions are made on the first view
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    print(url, status, len(queries))
    """
)


def main() -> None:
    prepare_site()

    output = manage(
        "shell", "-c", COUNT_QUERIES, PAGE_CACHE_SECONDS="0", ALLOWED_HOSTS="testserver"
    )
    url, status, queries = output.strip().splitlines()[-1].split()
    assert status == "200", f"{url} answered {status}"
    queries = int(queries)

    with gunicorn(WORKERS) as base:
        plain = wrk(f"{base}/health/live", seconds=SECONDS)
        cached = wrk(f"{base}{url}", seconds=SECONDS)
    with gunicorn(WORKERS, PAGE_CACHE_SECONDS="0") as base:
        uncached = wrk(f"{base}{url}", seconds=SECONDS)

    ratio = cached["requests_per_second"] / plain["requests_per_second"]
    results = {
        "workers": WORKERS,
        "seconds": SECONDS,
        "connections": 32,
        "plain_view": plain,
        "appeal_page_uncached": uncached,
        "appeal_page_cached": cached,
        "cached_to_plain_ratio": round(ratio, 3),
        "uncached_appeal_page_queries": queries,
    }
    path = save("pages", results)

    print(f"gunicorn, {WORKERS} sync workers; wrk, 32 connections, {SECONDS}s each\n")
    print(f"{'':28}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for label, figures in [
        ("plain Django view", plain),
        ("appeal page, uncached", uncached),
        ("appeal page, cached", cached),
    ]:
        print(
            f"{label:28}{figures['requests_per_second']:>10.0f}"
            f"{figures['p50_ms']:>10.2f}{figures['p99_ms']:>10.2f}"
        )
    print(f"\ncached / plain: {ratio:.2f}x (goal >= {GOAL_RATIO}x)")
    print(f"uncached appeal page: {queries} SQL queries (goal <= {GOAL_QUERIES})")
    print(f"figures saved to {path}")
    met = ratio >= GOAL_RATIO and queries <= GOAL_QUERIES
    print("GOALS MET" if met else "GOALS MISSED")
    raise SystemExit(0 if met else 1)


if __name__ == "__main__":
    main()
