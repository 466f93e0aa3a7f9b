"""Homeward's production topology on one machine, and the means to hurt it.

Everything here is real and is stopped in finalizers, even when a test fails:

- a private ``redis-server`` on a free loopback port without persistence, so that it can
  be killed and started again on the same port (an outage that loses every queued job);
- a fake CDN: a threaded HTTP server on loopback recording every request it gets
  (method, path, Host), as a purge endpoint would receive them;
- an SMTP sink (aiosmtpd, tests/mail.py) that can act when it sees a recipient, for
  example kill a worker mid-campaign;
- every process of the Procfile, read with honcho's own parser, each run as
  ``/bin/sh -c <command>`` in a session of its own (killing the session takes an RQ
  work horse with its worker), logging to a file whose tail a failing test prints.

The processes run with production settings (homeward.settings, DEBUG=0, WhiteNoise's
manifest storage after a real collectstatic) against the pytest test database, which the
test process shares: what a test commits is what they see.
"""

import contextlib
import json
import os
import secrets
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import redis
import requests
from aiosmtpd.controller import Controller
from honcho.environ import expand_processes, parse_procfile

from tests.frontend_cache import PurgeEndpoint, Purges
from tests.mail import Mailbox, free_port
from tests.processes import kill_session, signal_session

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = REPO / ".venv" / "bin"
REDIS_SERVER = Path("/usr/bin/redis-server")
PROCFILE = REPO / "Procfile"

BOOT_TIMEOUT = 90  # seconds for gunicorn to answer /health/live
SHELL_TIMEOUT = 180  # seconds for one `manage.py shell` call


def wait_until(check: Callable[[], Any], *, timeout: float, interval: float = 0.5) -> Any:
    """Call ``check`` until it returns something true, for at most ``timeout`` seconds.

    Returns its last result (false if the time ran out).
    """
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() >= deadline:
            return result
        time.sleep(interval)


class LoggedProcess:
    """One command under /bin/sh in its own session, its output appended to a log file."""

    def __init__(self, name: str, command: str, *, env: dict[str, str], log_path: Path):
        self.name = name
        self.command = command
        self.env = env
        self.log_path = log_path
        self.popen: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            log.write(f"\n=== {datetime.now(UTC):%H:%M:%S} start: {self.command}\n".encode())
            log.flush()
            self.popen = subprocess.Popen(  # noqa: S603 (our own command line)
                ["/bin/sh", "-c", self.command],
                cwd=REPO,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.starts += 1

    @property
    def pid(self) -> int:
        assert self.popen is not None, f"{self.name} was never started"
        return self.popen.pid

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    @property
    def exit_code(self) -> int | None:
        return None if self.popen is None else self.popen.poll()

    def kill(self) -> None:
        """SIGKILL the whole session, at once."""
        if self.popen is not None:
            kill_session(self.popen.pid)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=10)

    def stop(self, *, grace: float = 10) -> None:
        """SIGTERM the session, then SIGKILL whatever is left of it."""
        if self.popen is None:
            return
        signal_session(self.popen.pid, signal.SIGCONT)  # in case a test left it paused
        signal_session(self.popen.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=grace)
        self.kill()

    def pause(self) -> None:
        signal_session(self.pid, signal.SIGSTOP)

    def resume(self) -> None:
        signal_session(self.pid, signal.SIGCONT)

    def log_size(self) -> int:
        try:
            return self.log_path.stat().st_size
        except FileNotFoundError:
            return 0

    def log_text(self, *, since: int = 0) -> str:
        try:
            with open(self.log_path, "rb") as log:
                log.seek(since)
                return log.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, *, since: int = 0, lines: int = 40) -> str:
        return "\n".join(self.log_text(since=since).splitlines()[-lines:])


class RedisServer(LoggedProcess):
    """A private redis-server: no snapshots, no append-only file, so a restart is empty."""

    def __init__(self, *, port: int, workdir: Path, log_path: Path):
        command = (
            f"exec {REDIS_SERVER} --port {port} --bind 127.0.0.1 --save '' --appendonly no "
            f"--dir {workdir}"
        )
        super().__init__("redis", command, env={"PATH": "/usr/bin:/bin"}, log_path=log_path)
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=1, socket_connect_timeout=1)

    def answers(self) -> bool:
        try:
            return bool(self.client().ping())
        except redis.RedisError:
            return False

    def start(self) -> None:
        super().start()
        if not wait_until(self.answers, timeout=15, interval=0.1):
            raise RuntimeError(f"redis-server did not answer on {self.port}:\n{self.log_tail()}")


# The SMTP sink


@dataclass
class SinkMailbox(Mailbox):
    """tests/mail.py's mailbox, with a hook called for every recipient it is offered."""

    on_recipient: Callable[[str], None] | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        hook = self.on_recipient
        if hook is not None:
            hook(address)
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    def subjects_to(self, address: str) -> list[str]:
        with self.lock:
            arrivals = [arrival for arrival in self.arrivals if address in arrival.recipients]
        return [str(arrival.message["Subject"]) for arrival in arrivals]


# The stack


@dataclass
class Stack:
    root: Path
    env: dict[str, str]
    redis: RedisServer
    cdn: Purges
    mailbox: SinkMailbox
    cleanup: contextlib.ExitStack
    processes: dict[str, LoggedProcess] = field(default_factory=dict)
    web_port: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    closed: bool = False

    def close(self) -> None:
        """Stop every process (whole sessions), Redis, the CDN and the SMTP sink. Again is
        harmless."""
        self.closed = True
        self.cleanup.close()

    @property
    def base_url(self) -> str:
        return self.env["BASE_URL"]

    @property
    def public_host(self) -> str:
        """host:port of BASE_URL, the Host a CDN must be told to purge."""
        return urlsplit(self.base_url).netloc

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.web_port}{path}"

    def manage(self, *args: str, timeout: float = SHELL_TIMEOUT) -> subprocess.CompletedProcess:
        """`python manage.py …` with the production environment."""
        return subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
            [str(VENV_BIN / "python"), "manage.py", *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def call(self, function: str, **kwargs) -> Any:
        """Run ``tests.production.in_production.<function>(**kwargs)`` in a production
        process (`manage.py shell -c`), as code calling in would; returns its JSON result."""
        code = (
            "import json; from tests.production import in_production; "
            f"print('RESULT ' + json.dumps(in_production.{function}"
            f"(**json.loads({json.dumps(kwargs)!r}))))"
        )
        done = self.manage("shell", "-c", code)
        results = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
        if done.returncode or not results:
            raise RuntimeError(
                f"manage.py shell: {function} failed ({done.returncode}):\n"
                f"{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
            )
        return json.loads(results[-1].removeprefix("RESULT "))

    def release(self) -> None:
        """`manage.py migrate`, as each release runs it with the production environment.

        Nothing is left to migrate in the test database, but post_migrate handlers run:
        the default Wagtail Site takes BASE_URL's address, as in production. (Each
        transactional test restores the database as the test process migrated it.)
        """
        started = time.monotonic()
        migrated = self.manage("migrate", "--noinput")
        self.timings["migrate_s"] = round(time.monotonic() - started, 1)
        if migrated.returncode:
            raise RuntimeError(f"migrate failed:\n{migrated.stdout}\n{migrated.stderr}")

    def web_answers(self) -> bool:
        try:
            return requests.get(self.url("/health/live"), timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def start_process(self, name: str) -> None:
        process = self.processes[name]
        process.start()
        if name == "web":
            deadline = time.monotonic() + BOOT_TIMEOUT
            while not self.web_answers():
                if not process.running or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"gunicorn did not answer /health/live (exit code {process.exit_code}):"
                        f"\n{process.log_tail(lines=80)}"
                    )
                time.sleep(0.2)

    def restart(self, name: str) -> None:
        """Start a Procfile process again, as a supervisor would after it died."""
        self.processes[name].stop(grace=5)
        self.start_process(name)

    def ensure_running(self) -> list[str]:
        """Start again any Procfile process that has exited; returns what was restarted."""
        restarted = []
        if not self.redis.answers():
            self.redis.stop(grace=2)
            self.redis.start()
            restarted.append("redis")
        for name, process in self.processes.items():
            if not process.running:
                restarted.append(f"{name} (it had exited with {process.exit_code})")
                self.restart(name)
        return restarted

    def exited(self) -> dict[str, int | None]:
        """The Procfile processes that are not running, with their exit codes."""
        return {
            name: process.exit_code
            for name, process in self.processes.items()
            if not process.running
        }

    @contextlib.contextmanager
    def paused(self, *names: str) -> Iterator[None]:
        """SIGSTOP these processes (whole sessions) for the duration: nothing they would do
        happens meanwhile."""
        for name in names:
            self.processes[name].pause()
        try:
            yield
        finally:
            for name in names:
                self.processes[name].resume()

    def quiet_database(self) -> list[str]:
        """Pause every Procfile process and end their database connections (releasing
        their locks), so that the test process alone uses the database until
        ``resume(names)`` with the names returned."""
        names = [name for name, process in self.processes.items() if process.running]
        for name in names:
            self.processes[name].pause()
        self.database_connections_end()
        return names

    def resume(self, names: list[str]) -> None:
        for name in names:
            self.processes[name].resume()

    def database_connections_end(self) -> int:
        """End every connection to the test database but the test process's own."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [connection.settings_dict["NAME"]],
            )
            return len(cursor.fetchall())

    def log_marks(self) -> dict[str, int]:
        marks = {name: process.log_size() for name, process in self.processes.items()}
        marks["redis"] = self.redis.log_size()
        return marks

    def log_report(self, marks: dict[str, int] | None = None, *, lines: int = 60) -> str:
        marks = marks or {}
        parts = []
        for name, process in [*self.processes.items(), ("redis", self.redis)]:
            state = "running" if process.running else f"exited {process.exit_code}"
            tail = process.log_tail(since=marks.get(name, 0), lines=lines)
            parts.append(f"----- {name} ({state}, {process.log_path}) -----\n{tail}")
        return "\n".join(parts)

    def log_since(self, name: str, marks: dict[str, int]) -> str:
        process = self.redis if name == "redis" else self.processes[name]
        return process.log_text(since=marks.get(name, 0))

    def jobs_created_since(self, function: str, since: datetime) -> int:
        """How many RQ jobs calling ``function`` (e.g. "sightings_follow_up_sweep") the
        private Redis holds that were created after ``since``."""
        client = self.redis.client()
        count = 0
        for key in client.scan_iter("rq:job:*", count=1000):
            if key.count(b":") != 2:
                continue  # rq:job:<id>:<something else>
            with contextlib.suppress(redis.ResponseError):
                description, created = client.hmget(key, "description", "created_at")
                if not description or function.encode() not in description:
                    continue
                created_at = datetime.fromisoformat(created.decode().replace("Z", "+00:00"))
                if created_at.tzinfo is None:
                    created_at = created_at.replace(tzinfo=UTC)
                count += created_at > since
        return count


def production_env(
    *,
    database_url: str,
    redis_url: str,
    cdn_url: str,
    smtp_port: int,
    web_port: int,
    var_dir: Path,
    media_root: Path,
    private_media_root: Path,
) -> dict[str, str]:
    """The environment of README's Configuration section, for production on loopback."""
    kept = ("HOME", "LANG", "LC_ALL", "TZ", "USER", "TMPDIR")
    env = {name: os.environ[name] for name in kept if name in os.environ}
    env.update(
        PATH=f"{VENV_BIN}:{os.environ.get('PATH', '/usr/local/bin:/usr/bin:/bin')}",
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="homeward.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        FRONTEND_CACHE_PURGE_URL=cdn_url,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_USE_TLS="0",
        BASE_URL=f"http://127.0.0.1:{web_port}",
        PORT=str(web_port),
        WEB_CONCURRENCY="2",
        VAR_DIR=str(var_dir),
        MEDIA_ROOT=str(media_root),
        PRIVATE_MEDIA_ROOT=str(private_media_root),
        SIGHTING_RATE_LIMIT="100000",
    )
    return env


def database_url(settings_dict: dict) -> str:
    """The URL of the database the test process uses (the pytest test database)."""
    user = quote(settings_dict["USER"] or "", safe="")
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password, safe='')}" if password else user
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{settings_dict['NAME']}"


def start_stack(
    *, root: Path, database_url: str, media_root: Path, private_media_root: Path
) -> Stack:
    """Start Redis, the fake CDN, the SMTP sink and every Procfile process.

    Stack.close() stops them all; if starting fails half-way, what was started is stopped.
    """
    cleanup = contextlib.ExitStack()
    try:
        logs = root / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        var_dir = root / "var"
        var_dir.mkdir(exist_ok=True)

        redis_server = RedisServer(port=free_port(), workdir=root, log_path=logs / "redis.log")
        cleanup.callback(redis_server.stop, grace=2)
        redis_server.start()

        cdn_endpoint = PurgeEndpoint()
        cleanup.callback(cdn_endpoint.stop)

        mailbox = SinkMailbox()
        controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
        controller.start()
        cleanup.callback(controller.stop)

        env = production_env(
            database_url=database_url,
            redis_url=redis_server.url,
            cdn_url=cdn_endpoint.url,
            smtp_port=controller.port,
            web_port=free_port(),
            var_dir=var_dir,
            media_root=media_root,
            private_media_root=private_media_root,
        )
        stack = Stack(
            root=root,
            env=env,
            redis=redis_server,
            cdn=cdn_endpoint.purges,
            mailbox=mailbox,
            cleanup=cleanup,
        )

        # Read the Procfile as honcho does. Honcho gives each process type its own PORT
        # (100 apart); the web's is the one gunicorn binds, so BASE_URL follows it.
        procfile = parse_procfile(PROCFILE.read_text())
        expanded = expand_processes(procfile.processes, env=env)
        for params in expanded:
            if params.name.split(".")[0] == "web":
                stack.web_port = int(params.env["PORT"])
        assert stack.web_port, "the Procfile has no web process"
        env["BASE_URL"] = f"http://127.0.0.1:{stack.web_port}"
        for params in expanded:
            name = params.name.split(".")[0]
            stack.processes[name] = LoggedProcess(
                name,
                params.cmd,
                env={**params.env, "BASE_URL": env["BASE_URL"]},
                log_path=logs / f"{name}.log",
            )
            cleanup.callback(stack.processes[name].stop)

        # The release steps of README's Production section. `migrate` waits for each test
        # (Stack.release): run now, on a database a previous test emptied, it would make
        # rows the test's restored database then collides with.
        started = time.monotonic()
        collected = stack.manage("collectstatic", "--noinput", timeout=600)
        stack.timings["collectstatic_s"] = round(time.monotonic() - started, 1)
        if collected.returncode:
            raise RuntimeError(f"collectstatic failed:\n{collected.stdout}\n{collected.stderr}")

        started = time.monotonic()
        for name in stack.processes:
            stack.start_process(name)
        stack.timings["boot_s"] = round(time.monotonic() - started, 1)
        print(
            f"\nProduction stack: web {stack.base_url}, redis {redis_server.port}, "
            f"cdn {cdn_endpoint.url}, smtp {controller.port}; "
            f"collectstatic "
            f"{stack.timings['collectstatic_s']} s, boot {stack.timings['boot_s']} s; "
            f"logs in {logs}"
        )
    except BaseException:
        cleanup.close()
        raise
    return stack
