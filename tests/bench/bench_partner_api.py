"""The partners' API list endpoint under gunicorn, cached and uncached, beside a plain view.

Goal (issue "Partners"): the cached list serves at least 0.5x the plain view's requests
per second; a poll with nothing new asks the database nothing but the access log's row.

    .venv/bin/python -m tests.bench.bench_partner_api

Interleaved rounds (each round runs every URL once, in a rotating order); the ratios are
the medians of the rounds' ratios. "Uncached" asks with a query string of its own every
time (tests/bench/miss.lua), so every answer is built afresh and stored.
"""

import os
import statistics

from tests.bench.common import ROOT, gunicorn, manage, prepare_site, save, wrk

WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "4"))
GOAL_RATIO = 0.5
GOAL_POLL_QUERIES = 1
MISS = str(ROOT / "tests" / "bench" / "miss.lua")

# A partner for every area, with a key whose limit the benchmark never reaches (the limiter
# still counts every request in Redis); then a poll, counted query by query.
SETUP = """
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from newsletter.models import Partner, PartnerKey
from newsletter.services.partner_keys import partner_key_create
partner = Partner.objects.create(
    organisation="Bench Gazette", email="desk@bench.invalid", all_of_uk=True
)
record, key = partner_key_create(partner=partner, name="bench", user=None)
PartnerKey.objects.filter(pk=record.pk).update(requests_per_minute=10**9)
client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
listed = client.get("/api/v1/appeals").json()
poll = f"/api/v1/appeals?changed_since={listed['next_changed_since']}"
client.get(poll)
with CaptureQueriesContext(connection) as queries:
    status = client.get(poll).status_code
print(key, len(listed["appeals"]), status, len(queries))
"""


def main() -> None:
    prepare_site()
    key, listed, status, poll_queries = manage(
        "shell", "-c", SETUP, ALLOWED_HOSTS="testserver"
    ).split()[-4:]
    assert status == "200", f"the poll answered {status}"
    auth = {"Authorization": f"Bearer {key}"}
    targets = {
        "plain": ("/health/live", {}),
        "cached": ("/api/v1/appeals", {"headers": auth}),
        "uncached": ("/api/v1/appeals", {"headers": auth, "script": MISS}),
    }
    rounds = {name: [] for name in targets}
    with gunicorn(WORKERS) as base:
        for number in range(ROUNDS):
            names = list(targets)
            for name in names[number % 3 :] + names[: number % 3]:
                path, options = targets[name]
                rounds[name].append(wrk(f"{base}{path}", seconds=SECONDS, **options))

    ratios = {
        name: [
            ours["requests_per_second"] / plain["requests_per_second"]
            for ours, plain in zip(rounds[name], rounds["plain"], strict=True)
        ]
        for name in ("cached", "uncached")
    }
    ratio = statistics.median(ratios["cached"])
    results = {
        "workers": WORKERS,
        "rounds": ROUNDS,
        "seconds_per_round": SECONDS,
        "connections": 32,
        "appeals_listed": int(listed),
        "rounds_measured": rounds,
        "ratios": {name: [round(value, 3) for value in values] for name, values in ratios.items()},
        "cached_to_plain_ratio": round(ratio, 3),
        "poll_with_nothing_new_queries": int(poll_queries),
    }
    path = save("partner_api", results)
    print(
        f"gunicorn, {WORKERS} sync workers, PostgreSQL and Redis; wrk, 32 connections; "
        f"{ROUNDS} interleaved rounds of {SECONDS}s per URL; {listed} live appeals listed\n"
    )
    print(f"{'':34}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'vs plain':>10}")
    labels = {
        "plain": "plain Django view (reference)",
        "cached": "API list, cached",
        "uncached": "API list, built every time",
    }
    for name, label in labels.items():
        median = {
            figure: statistics.median(measured[figure] for measured in rounds[name])
            for figure in ("requests_per_second", "p50_ms", "p99_ms")
        }
        versus = f"{statistics.median(ratios[name]):.2f}x" if name in ratios else ""
        print(
            f"{label:34}{median['requests_per_second']:>8.0f}"
            f"{median['p50_ms']:>9.1f}{median['p99_ms']:>9.1f}{versus:>10}"
        )
    print("\nper round, cached / plain: " + ", ".join(f"{v:.2f}" for v in ratios["cached"]))
    print(f"cached / plain: {ratio:.2f}x (goal >= {GOAL_RATIO}x)")
    print(f"a poll with nothing new: {poll_queries} SQL queries (goal <= {GOAL_POLL_QUERIES})")
    print(f"figures saved to {path}")
    met = ratio >= GOAL_RATIO and int(poll_queries) <= GOAL_POLL_QUERIES
    print("GOALS MET" if met else "GOALS MISSED")
    raise SystemExit(0 if met else 1)


if __name__ == "__main__":
    main()
