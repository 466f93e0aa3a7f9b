"""Sending one campaign to 100,000 confirmed Heroes, against the raw SMTP limit.

Goal (issue 6, "Heroes"): 100,000 confirmed Heroes, one campaign, through an aiosmtpd
sink on loopback. Our whole pipeline (creating the campaign, its ledger rows and batch
jobs; RQ workers rendering, sending and recording every message) reaches at least 0.7x
the raw limit's messages per second: one smtplib connection sending one pre-built
message, as our pipeline sent it, to the same sink in a tight loop, the same number of
times. And peak memory does not grow with the number of Heroes (10,000 against 100,000).

    .venv/bin/python -m tests.bench.bench_newsletter

BENCH_HEROES (default "10000,100000") sets the sizes, BENCH_WORKERS (default 2) the
number of `rqworker` processes. The sink counts what it accepts and keeps a few messages;
the pipeline's clock runs from the call to `campaign_regular_due` (in its own
`manage.py shell`, workers already idle on the queue, as in production) until the sink
has accepted the last message; peak memory is each process's maximum RSS from
`/usr/bin/time` (a worker's includes the work horses it forks, one per batch).
"""

import contextlib
import json
import multiprocessing
import os
import random
import signal
import smtplib
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
from rq import Worker

from homeward.redis import redis_client
from tests.bench.common import (
    DATABASE_URL,
    REDIS_URL,
    RESULTS_DIR,
    ROOT,
    manage,
    prepare_site,
    save,
    server_env,
)

SIZES = [int(size) for size in os.environ.get("BENCH_HEROES", "10000,100000").split(",")]
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
GOAL_RATIO = 0.7
# "Does not grow": the largest size's peak within this of the smallest's.
GOAL_MEMORY_GROWTH = 1.10
# A Thursday at 10:30 in London: the regular email is due (default schedule).
NOW = datetime(2026, 11, 19, 10, 30, tzinfo=ZoneInfo("Europe/London"))
ALL_OF_UK_EVERY = 5  # one Hero in five asked for all of the UK
SAMPLES = 200  # messages the sink keeps (evenly), to pick the raw loop's message from
STALL_SECONDS = 120
LOGS = RESULTS_DIR / "newsletter"
TIME = "/usr/bin/time"

FORCES = f"""
import json
from datetime import datetime
from zoneinfo import ZoneInfo
from newsletter.selectors import campaign_forces, regular_email_content, regular_email_since
now = datetime.fromisoformat({NOW.isoformat()!r})
content = regular_email_content(since=regular_email_since(now=now), now=now)
print(json.dumps({{
    "forces": sorted(campaign_forces(content)),
    "appeals": len(content["new_appeals"]) + len(content["pushed_appeals"]),
}}))
"""

CREATE = f"""
import json, time
from datetime import datetime
from newsletter.services import campaign_regular_due
started = time.time()
campaign = campaign_regular_due(now=datetime.fromisoformat({NOW.isoformat()!r}))
print(json.dumps({{"started": started, "returned": time.time(),
                   "campaign": campaign and campaign.pk}}))
"""

RESET = """
TRUNCATE newsletter_delivery, newsletter_campaign, newsletter_hero_areas,
         newsletter_heroconsent, newsletter_hero RESTART IDENTITY
"""

# Hero n: every fifth all of the UK, the others one to three of the campaign's areas
# (collisions dropped, so a few have fewer), deterministic.
HEROES = """
INSERT INTO newsletter_hero (
    public_id, email, all_of_uk, urgent_alerts, status, created_at, confirmed_at,
    status_changed_at
)
SELECT gen_random_uuid(), 'hero' || n || '@bench.invalid', n %% %(every)s = 0, false,
       'confirmed', now(), now(), now()
FROM generate_series(1, %(count)s) AS n
"""

AREAS = """
INSERT INTO newsletter_hero_areas (hero_id, policeforce_id)
SELECT DISTINCT hero.id,
       (%(forces)s::bigint[])[
           1 + (hashint8(hero.id * 3 + pick) & 2147483647) %% cardinality(%(forces)s::bigint[])
       ]
FROM newsletter_hero AS hero
CROSS JOIN LATERAL generate_series(0, (hero.id %% 3)::int) AS pick
WHERE NOT hero.all_of_uk
"""


# The sink: its own process, aiosmtpd on loopback, counting and keeping a few messages.


def _sink_main(commands, accepted, accepted_bytes) -> None:
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    samples: list[bytes] = []

    class Counter:
        async def handle_DATA(self, server, session, envelope):
            data = envelope.original_content
            accepted_bytes.value += len(data)
            accepted.value += 1
            # Reservoir sampling: an even sample of everything accepted since the reset.
            if len(samples) < SAMPLES:
                samples.append(data)
            elif (slot := random.randrange(accepted.value)) < SAMPLES:
                samples[slot] = data
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    commands.send(port)
    while True:
        command = commands.recv()
        if command == "reset":
            samples.clear()
            accepted.value = accepted_bytes.value = 0
            commands.send("ok")
        elif command == "samples":
            commands.send(list(samples))
        else:
            controller.stop()
            commands.send("stopped")
            return


class Sink:
    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._commands, theirs = context.Pipe()
        self._accepted = context.RawValue("q", 0)
        self._bytes = context.RawValue("q", 0)
        self._process = context.Process(
            target=_sink_main, args=(theirs, self._accepted, self._bytes), daemon=True
        )
        self._process.start()
        self.port = self._commands.recv()

    @property
    def accepted(self) -> int:
        return self._accepted.value

    @property
    def accepted_bytes(self) -> int:
        return self._bytes.value

    def _ask(self, command: str):
        self._commands.send(command)
        return self._commands.recv()

    def reset(self) -> None:
        self._ask("reset")

    def samples(self) -> list[bytes]:
        return self._ask("samples")

    def stop(self) -> None:
        self._ask("stop")
        self._process.join(timeout=10)


# Our pipeline.


def heroes_create(count: int, forces: list[int]) -> None:
    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        connection.execute(RESET)
        connection.execute(HEROES, {"count": count, "every": ALL_OF_UK_EVERY})
        connection.execute(AREAS, {"forces": forces})
        for table in ("newsletter_hero", "newsletter_hero_areas", "newsletter_delivery"):
            connection.execute(f"VACUUM ANALYZE {table}")


def ledger_counts() -> dict[str, int]:
    with psycopg.connect(DATABASE_URL) as connection:
        return dict(
            connection.execute(
                "SELECT status, count(*) FROM newsletter_delivery GROUP BY status"
            ).fetchall()
        )


def peak_rss_mb(path: Path) -> float:
    """The last line /usr/bin/time -f %M wrote: kilobytes."""
    return round(int(path.read_text().strip().splitlines()[-1]) / 1024, 1)


def timed(name: str, *args: str, env: dict[str, str], **popen) -> tuple[subprocess.Popen, Path]:
    rss = LOGS / f"{name}.rss"
    rss.unlink(missing_ok=True)
    process = subprocess.Popen(  # noqa: S603
        [TIME, "-f", "%M", "-o", str(rss), sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        **popen,
    )
    return process, rss


class Workers:
    """`rqworker default` processes, idle on the queue before the campaign exists."""

    def __init__(self, count: int, env: dict[str, str]) -> None:
        self._runs = []
        for number in range(count):
            pid_file = LOGS / f"worker-{number}.pid"
            pid_file.unlink(missing_ok=True)
            log = (LOGS / f"worker-{number}.log").open("w")
            process, rss = timed(
                f"worker-{number}",
                "rqworker",
                "default",
                f"--name=bench-{number}-{time.time_ns()}",
                f"--pid={pid_file}",
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            self._runs.append({"time": process, "rss": rss, "pid_file": pid_file, "log": log})
        deadline = time.monotonic() + 60
        redis = redis_client(REDIS_URL)
        while Worker.count(connection=redis) < count:
            if time.monotonic() > deadline or any(
                run["time"].poll() is not None for run in self._runs
            ):
                self.stop()
                sys.exit(f"the RQ workers did not start: see {LOGS}")
            time.sleep(0.1)
        for run in self._runs:
            run["pid"] = int(run["pid_file"].read_text().strip())

    def stop(self) -> list[float]:
        """Warm shutdown (SIGTERM to each rqworker), then each one's peak RSS in MB."""
        for run in self._runs:
            if "pid" in run and run["time"].poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(run["pid"], signal.SIGTERM)
        peaks = []
        for run in self._runs:
            try:
                run["time"].wait(timeout=60)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(KeyError, ProcessLookupError):
                    os.kill(run["pid"], signal.SIGKILL)
                run["time"].wait()
            run["log"].close()
            rss = run["rss"]
            peaks.append(peak_rss_mb(rss) if rss.exists() and rss.read_text().strip() else 0.0)
        return peaks


def pipeline(count: int, sink: Sink, workers: int, forces: list[int]) -> dict:
    heroes_create(count, forces)
    redis_client(REDIS_URL).flushdb()  # the queue, the cache and old workers' keys
    sink.reset()
    env = server_env(EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(sink.port), EMAIL_USE_TLS="0")
    pool = Workers(workers, env)
    try:
        creation, creation_rss = timed(
            "creation", "shell", "-c", CREATE, env=env, stdout=subprocess.PIPE, text=True
        )
        creation_output: list[str] = []
        reader = threading.Thread(
            target=lambda: creation_output.append(creation.stdout.read()), daemon=True
        )
        reader.start()
        last, last_change = 0, time.monotonic()
        while sink.accepted < count:
            time.sleep(0.05)
            if sink.accepted != last:
                last, last_change = sink.accepted, time.monotonic()
            elif creation.poll() not in (None, 0) or time.monotonic() - last_change > STALL_SECONDS:
                sys.exit(
                    f"stalled at {sink.accepted:,} of {count:,} messages; ledger "
                    f"{ledger_counts()}; see {LOGS}"
                )
            elif creation_output and not _created(creation_output)["campaign"]:
                sys.exit("campaign_regular_due made no campaign: not due, or made already?")
        finished = time.time()
        creation.wait()
        reader.join()
    finally:
        worker_peaks = pool.stop()
    created = _created(creation_output)
    counts = ledger_counts()
    if counts != {"sent": count} or sink.accepted != count:
        sys.exit(f"expected {count:,} sent; the ledger says {counts}, the sink {sink.accepted:,}")
    seconds = finished - created["started"]
    return {
        "messages": count,
        "seconds": round(seconds, 2),
        "messages_per_second": round(count / seconds, 1),
        "creation_seconds": round(created["returned"] - created["started"], 2),
        "creation_peak_rss_mb": peak_rss_mb(creation_rss),
        "worker_peak_rss_mb": worker_peaks,
        "mean_message_bytes": round(sink.accepted_bytes / count),
    }


def _created(output: list[str]) -> dict:
    return json.loads(output[0].strip().splitlines()[-1])


def idle_rss_mb() -> float:
    """Peak RSS of a `manage.py shell` that does nothing: what every process starts with."""
    process, rss = timed("idle", "shell", "-c", "pass", env=server_env(), stdout=subprocess.DEVNULL)
    process.wait()
    return peak_rss_mb(rss)


# The raw limit.


def raw_limit(count: int, sink: Sink, message: bytes) -> dict:
    sink.reset()
    with smtplib.SMTP("127.0.0.1", sink.port, timeout=30) as smtp:
        smtp.ehlo()
        started = time.perf_counter()
        for _ in range(count):
            smtp.sendmail("appeals@homeward.invalid", ["hero1@bench.invalid"], message)
        seconds = time.perf_counter() - started
    if sink.accepted != count:
        sys.exit(f"the raw loop sent {count:,}, the sink accepted {sink.accepted:,}")
    return {
        "messages": count,
        "seconds": round(seconds, 2),
        "messages_per_second": round(count / seconds, 1),
        "message_bytes": len(message),
    }


def typical(samples: list[bytes], mean: float) -> bytes:
    """Of the messages the pipeline sent, one of the mean size: the raw loop's message."""
    return min(samples, key=lambda message: abs(len(message) - mean))


def code_version() -> str:
    """The commit measured, and whether the newsletter code differed from it."""

    def git(*args: str) -> str:
        return subprocess.run(  # noqa: S603
            ["git", *args],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()

    dirty = (
        " with uncommitted changes to newsletter/"
        if git("status", "--porcelain", "newsletter")
        else ""
    )
    return git("rev-parse", "--short", "HEAD") + dirty


def main() -> None:
    LOGS.mkdir(parents=True, exist_ok=True)
    prepare_site()
    campaign = json.loads(manage("shell", "-c", FORCES).strip().splitlines()[-1])
    forces = campaign["forces"]
    sink = Sink()
    results = {
        "code": code_version(),
        "workers": WORKERS,
        "campaign_appeals": campaign["appeals"],
        "campaign_forces": len(forces),
        "idle_shell_peak_rss_mb": idle_rss_mb(),
        "sizes": {},
    }
    try:
        for count in SIZES:
            load = os.getloadavg()[0]
            ours = pipeline(count, sink, WORKERS, forces)
            message = typical(sink.samples(), ours["mean_message_bytes"])
            raw = raw_limit(count, sink, message)
            ratio = round(ours["messages_per_second"] / raw["messages_per_second"], 2)
            results["sizes"][str(count)] = {
                "ours": ours,
                "raw": raw,
                "ratio": ratio,
                "load_average_before": load,
            }
            print(
                f"{count:,} Heroes, {WORKERS} worker(s): ours {ours['messages_per_second']:,} "
                f"msg/s ({ours['seconds']} s, campaign created in {ours['creation_seconds']} s), "
                f"raw {raw['messages_per_second']:,} msg/s ({raw['seconds']} s, "
                f"{raw['message_bytes']:,}-byte message; ours averaged "
                f"{ours['mean_message_bytes']:,}); ours / raw {ratio:.2f}x",
                flush=True,
            )
            print(
                f"  peak RSS: creation {ours['creation_peak_rss_mb']} MB, workers "
                f"{', '.join(f'{mb} MB' for mb in ours['worker_peak_rss_mb'])} "
                f"(an idle manage.py shell: {results['idle_shell_peak_rss_mb']} MB)",
                flush=True,
            )
    finally:
        sink.stop()

    sizes = results["sizes"]
    smallest, largest = sizes[str(min(SIZES))], sizes[str(max(SIZES))]
    growth = {
        "creation": round(
            largest["ours"]["creation_peak_rss_mb"] / smallest["ours"]["creation_peak_rss_mb"], 3
        ),
        "workers": round(
            max(largest["ours"]["worker_peak_rss_mb"])
            / max(smallest["ours"]["worker_peak_rss_mb"]),
            3,
        ),
    }
    results["memory_growth"] = growth
    path = save("newsletter", results)
    print(
        f"\npeak RSS, {max(SIZES):,} against {min(SIZES):,} Heroes: creation "
        f"{growth['creation']:.2f}x, workers {growth['workers']:.2f}x"
    )
    ratio_met = all(size["ratio"] >= GOAL_RATIO for size in sizes.values())
    memory_met = max(growth.values()) <= GOAL_MEMORY_GROWTH
    print(
        f"\ngoals: ours / raw >= {GOAL_RATIO}x at every size; peak RSS at the largest size "
        f"within {GOAL_MEMORY_GROWTH:.2f}x of the smallest"
    )
    print(f"figures saved to {path}")
    met = ratio_met and memory_met
    print("GOALS MET" if met else "GOALS MISSED")
    raise SystemExit(0 if met else 1)


if __name__ == "__main__":
    main()
