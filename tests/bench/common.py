"""Shared pieces of the benchmarks: a bench database, gunicorn, and wrk.

Benchmarks are not part of `make test`. Each prints our figure beside its reference,
both measured in the same run on the same machine, and the ratio between them.
"""

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

from homeward.redis import redis_client

ROOT = Path(__file__).resolve().parents[2]
RESULTS_DIR = ROOT / "var" / "bench"
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/homeward_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
PORT = 8765
# One key for the whole run: tokens signed by one process must verify in another.
SECRET_KEY = secrets.token_urlsafe(50)


def prepare_site() -> None:
    """A fresh bench database with the demo appeals, and collected static files."""
    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    redis_client(REDIS_URL).flushdb()
    manage("migrate", "--noinput")
    manage("load_demo", DEBUG="1")
    manage("collectstatic", "--noinput")


def server_env(**extra: str) -> dict[str, str]:
    """Production settings, on this machine: no TLS in front of it, so no redirect."""
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "homeward.settings",
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "VAR_DIR": str(ROOT / "var" / "bench-site"),
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def manage(*args: str, **env: str) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=server_env(**env),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def require_wrk() -> str:
    wrk = shutil.which("wrk")
    if not wrk:
        sys.exit("The benchmarks need wrk: apt-get install wrk")
    return wrk


@contextmanager
def gunicorn(workers: int, **env: str):
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "homeward.wsgi",
            f"--bind=127.0.0.1:{PORT}",
            f"--workers={workers}",
            "--access-logfile=-" if os.environ.get("BENCH_ACCESS_LOG") else "--error-logfile=-",
        ],
        cwd=ROOT,
        env=server_env(**env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{PORT}/health/live")
        yield f"http://127.0.0.1:{PORT}"
    finally:
        process.send_signal(signal.SIGINT)  # quick shutdown: the measurement is over
        process.wait(timeout=30)


def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer at {url}")


def wrk(
    url: str,
    *,
    connections: int = 32,
    seconds: int = 10,
    threads: int = 2,
    script: str = "",
    headers: dict[str, str] | None = None,
) -> dict:
    """Requests per second and latency percentiles for one URL (a lua script may POST)."""
    headers = headers or {}
    if not script:
        check = urllib.request.Request(url, headers=headers)  # noqa: S310
        with urllib.request.urlopen(check, timeout=10) as response:  # noqa: S310
            assert response.status == 200, f"{url} answered {response.status}"
    options = ["-s", script] if script else []
    for name, value in headers.items():
        options += ["-H", f"{name}: {value}"]
    output = subprocess.run(  # noqa: S603
        [
            require_wrk(),
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            *options,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        sys.exit(f"{url}: {non_2xx.group(1)} failed responses\n{output}")
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": _milliseconds(re.search(r"50%\s+([\d.]+\w+)", output).group(1)),
        "p99_ms": _milliseconds(re.search(r"99%\s+([\d.]+\w+)", output).group(1)),
    }


def _milliseconds(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def save(name: str, results: dict) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(results, indent=2))
    return path
