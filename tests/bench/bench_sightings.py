"""The sighting POST under gunicorn against PostgreSQL, beside a minimal form-and-insert view.

Goals (issue "Sightings"): at least 0.7x the minimal view's requests per second, and p99
latency under 250 ms at 32 concurrent clients.

    .venv/bin/python -m tests.bench.bench_sightings
"""

import os
import time
from datetime import timedelta
from urllib.parse import urlencode

import psycopg

from tests.bench.common import DATABASE_URL, ROOT, gunicorn, manage, prepare_site, save, wrk

WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
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
    reference_body = urlencode({"location": "Outside the station"})

    with gunicorn(WORKERS, **BENCH) as base:
        os.environ["BODY"] = reference_body
        reference = wrk(f"{base}/bench/minimal-form/", seconds=SECONDS, script=SCRIPT)
        os.environ["BODY"] = sighting_body
        sighting = wrk(f"{base}/sightings/report/{appeal_id}/", seconds=SECONDS, script=SCRIPT)

    stored = manage(
        "shell",
        "-c",
        "from sightings.models import Sighting; print(Sighting.objects.count())",
        **BENCH,
    )
    ratio = sighting["requests_per_second"] / reference["requests_per_second"]
    results = {
        "workers": WORKERS,
        "seconds": SECONDS,
        "connections": 32,
        "minimal_form_view": reference,
        "sighting_post": sighting,
        "sightings_stored": int(stored.split()[-1]),
        "ratio": round(ratio, 3),
    }
    path = save("sightings", results)
    print(f"gunicorn, {WORKERS} sync workers, PostgreSQL; wrk, 32 connections, {SECONDS}s each\n")
    print(f"{'':30}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for label, figures in [("minimal form + insert view", reference), ("sighting POST", sighting)]:
        print(
            f"{label:30}{figures['requests_per_second']:>10.0f}"
            f"{figures['p50_ms']:>10.2f}{figures['p99_ms']:>10.2f}"
        )
    print(f"\nsighting / minimal: {ratio:.2f}x (goal >= {GOAL_RATIO}x)")
    print(f"sighting p99: {sighting['p99_ms']:.0f} ms (goal < {GOAL_P99_MS} ms)")
    print(f"sightings stored: {results['sightings_stored']}; figures saved to {path}")
    met = ratio >= GOAL_RATIO and sighting["p99_ms"] < GOAL_P99_MS
    print("GOALS MET" if met else "GOALS MISSED")
    raise SystemExit(0 if met else 1)


def timezone_today():
    from datetime import date

    return date.today()


if __name__ == "__main__":
    main()
