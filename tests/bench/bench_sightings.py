"""The sighting POST under gunicorn against PostgreSQL, beside a minimal form-and-insert view.

Goals (issue "Sightings"): at least 0.7x the minimal view's requests per second, and p99
latency under 250 ms at 32 concurrent clients.

    .venv/bin/python -m tests.bench.bench_sightings

The URLs are measured in interleaved rounds (each round runs every URL once, in a rotating
order), so a change in the machine's load between measurements falls on all of them; the
ratio reported is the median of the rounds' ratios. Beside the reference, a floor: the
same minimal view validating the sighting form itself (see tests/bench/urls.py).
"""

import os
import statistics
import time
from datetime import timedelta
from urllib.parse import urlencode

import psycopg

from tests.bench.common import DATABASE_URL, ROOT, gunicorn, manage, prepare_site, save, wrk

WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "4"))
GOAL_RATIO = 0.7
GOAL_P99_MS = 250
SCRIPT = str(ROOT / "tests" / "bench" / "post.lua")
BENCH = {
    "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
    # The limiter still counts every request in Redis; it just never refuses one here.
    "SIGHTING_RATE_LIMIT": "1000000000",
}

# A high-risk appeal: every sighting also queues its alert to the force, after commit.
SETUP = """
from appeals.models import AppealPage
from homeward.models import PoliceForce
from sightings.forms import form_token
appeal = AppealPage.objects.publicly_visible().order_by("pk").first()
AppealPage.objects.filter(pk=appeal.pk).update(risk_level="high")
PoliceForce.objects.filter(pk=appeal.police_force_id).update(duty_email="duty@bench.invalid")
print(appeal.pk, appeal.missing_since.isoformat(), form_token(appeal.pk))
"""


def create_reference_table() -> None:
    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        connection.execute(
            "CREATE TABLE bench_row (id bigserial PRIMARY KEY, location varchar(300), "
            "description text, created_at timestamptz DEFAULT now())"
        )


def main() -> None:
    prepare_site()
    create_reference_table()
    appeal_id, missing_since, token = manage("shell", "-c", SETUP, **BENCH).split()[-3:]
    time.sleep(3)  # the form's token must be older than a human's fastest fill-in
    seen_on = max(missing_since, (timezone_today() - timedelta(days=1)).isoformat())
    sighting_body = urlencode(
        {
            "token": token,
            "seen_on": seen_on,
            "seen_time": "12:00",
            "location": "Outside the station",
            "identity": "anonymous",
            "website": "",
        }
    )
    targets = {
        "reference": ("/bench/minimal-form/", urlencode({"location": "Outside the station"})),
        "floor": (f"/bench/sighting-form/{appeal_id}/", sighting_body),
        "sighting": (f"/sightings/report/{appeal_id}/", sighting_body),
    }
    rounds = {name: [] for name in targets}
    with gunicorn(WORKERS, **BENCH) as base:
        for number in range(ROUNDS):
            names = list(targets)
            for name in names[number % 3 :] + names[: number % 3]:
                path, body = targets[name]
                os.environ["BODY"] = body
                rounds[name].append(wrk(f"{base}{path}", seconds=SECONDS, script=SCRIPT))

    stored = manage(
        "shell",
        "-c",
        "from sightings.models import Sighting; print(Sighting.objects.count())",
        **BENCH,
    )
    ratios = {
        name: [
            ours["requests_per_second"] / reference["requests_per_second"]
            for ours, reference in zip(rounds[name], rounds["reference"], strict=True)
        ]
        for name in ("floor", "sighting")
    }
    summary = {name: _summary(measured) for name, measured in rounds.items()}
    ratio = statistics.median(ratios["sighting"])
    results = {
        "workers": WORKERS,
        "rounds": ROUNDS,
        "seconds_per_round": SECONDS,
        "connections": 32,
        "summary": summary,
        "rounds_measured": rounds,
        "ratios": {name: [round(value, 3) for value in values] for name, values in ratios.items()},
        "sightings_stored": int(stored.split()[-1]),
        "ratio": round(ratio, 3),
    }
    path = save("sightings", results)
    print(
        f"gunicorn, {WORKERS} sync workers, PostgreSQL; wrk, 32 connections; "
        f"{ROUNDS} interleaved rounds of {SECONDS}s per URL\n"
    )
    print(f"{'':44}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'vs reference':>14}")
    labels = {
        "reference": "minimal form + insert view (reference)",
        "floor": "the same view with the sighting form",
        "sighting": "sighting POST",
    }
    for name, label in labels.items():
        figures = summary[name]
        versus = f"{statistics.median(ratios[name]):.2f}x" if name in ratios else ""
        print(
            f"{label:44}{figures['requests_per_second']:>8.0f}"
            f"{figures['p50_ms']:>9.1f}{figures['p99_ms']:>9.1f}{versus:>14}"
        )
    print(
        "\nper round, sighting / reference: "
        + ", ".join(f"{value:.2f}" for value in ratios["sighting"])
    )
    print(f"sighting / minimal: {ratio:.2f}x (goal >= {GOAL_RATIO}x)")
    print(
        f"sighting p99, worst round: {summary['sighting']['p99_ms']:.0f} ms "
        f"(goal < {GOAL_P99_MS} ms)"
    )
    print(f"sightings stored: {results['sightings_stored']}; figures saved to {path}")
    met = ratio >= GOAL_RATIO and summary["sighting"]["p99_ms"] < GOAL_P99_MS
    print("GOALS MET" if met else "GOALS MISSED")
    raise SystemExit(0 if met else 1)


def _summary(measured: list[dict]) -> dict:
    """The median round's throughput and latency, and the worst round's p99."""
    return {
        "requests_per_second": statistics.median(m["requests_per_second"] for m in measured),
        "p50_ms": statistics.median(m["p50_ms"] for m in measured),
        "p99_ms": max(m["p99_ms"] for m in measured),
    }


def timezone_today():
    from datetime import date

    return date.today()


if __name__ == "__main__":
    main()
