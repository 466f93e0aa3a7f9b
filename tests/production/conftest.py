"""Fixtures of the production fault suite.

The stack (private Redis, fake CDN, SMTP sink and every Procfile process) starts once,
when the first test of this folder needs it, and is stopped after the last one whatever
happened. Before each scenario `manage.py migrate` runs as on a release (the test
database was just restored as the test process migrated it), and any process that has
exited is started again, as a supervisor would, so one scenario's damage does not become
the next one's symptom. After a failing scenario the tail of every process's log is
printed.

Test data is made in the test process and committed (transactional tests); pytest-django
empties the database after each and restores it before the next, with the processes
paused from the one to the other.

The suite needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL) and /usr/bin/redis-server;
without them it is skipped, like tests/newsletter/test_killed_worker.py.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from homeward import roles
from tests.production import data
from tests.production.browser import StaffBrowser
from tests.production.figures import Figures, figures_record
from tests.production.stack import REDIS_SERVER, Stack, database_url, start_stack

HERE = Path(__file__).parent
PHASES = pytest.StashKey[dict]()
# The processes a teardown paused, for the next test's `stack` fixture to resume.
PAUSED = pytest.StashKey[list[str]]()


def _missing() -> str:
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        return "the production fault suite needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL)"
    if not REDIS_SERVER.exists():
        return f"the production fault suite starts its own Redis: {REDIS_SERVER} is missing"
    return ""


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """In a parallel run (pytest-xdist, --dist loadgroup) this folder's tests run one after
    another on one worker: they share its stack, started and stopped once."""
    reason = _missing()
    for item in items:
        if _here(item):
            item.add_marker(pytest.mark.xdist_group("production"))
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


def _here(item) -> bool:
    return item is not None and HERE in Path(item.path).parents


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """pytest-django empties the database after each transactional test (TRUNCATE of every
    table), and the next test's setup restores it. With the production processes running
    the TRUNCATE could deadlock with a worker's transaction, and a job run in between (a
    cron sweep, in a fresh work-horse) would write rows the restore then collides with
    (a content type made again): so the processes are paused, their connections ended,
    from this teardown until the next test's database is restored. After the last test
    of this folder the stack stops."""
    stack = item.funcargs.get("production")
    if stack is None or stack.closed:
        return (yield)
    paused = stack.quiet_database()
    try:
        return (yield)
    finally:
        if _here(nextitem):
            item.session.stash[PAUSED] = paused  # resumed by the next test's `stack`
        else:
            stack.resume(paused)
            stack.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(PHASES, {})[report.when] = report
    return report


def _failed(node) -> bool:
    return any(report.failed for report in node.stash.get(PHASES, {}).values())


@pytest.fixture(scope="session")
def production(django_db_setup, tmp_path_factory) -> Iterator[Stack]:
    """The production stack, against the pytest test database (set up by now). It is
    stopped after the last test of this folder (see pytest_runtest_teardown), so that
    its scheduler and workers never act on the data of the rest of the suite."""
    stack = start_stack(
        root=tmp_path_factory.mktemp("production"),
        database_url=database_url(connection.settings_dict),
        media_root=settings.MEDIA_ROOT,
        private_media_root=settings.PRIVATE_MEDIA_ROOT,
    )
    yield stack
    stack.close()


@pytest.fixture
def stack(production, request) -> Iterator[Stack]:
    assert not production.closed, (
        "the production stack was stopped: run this folder's tests together"
    )
    production.release()  # the test database was just restored as the test process made it
    # What the last teardown paused goes on, now that this test's database is restored.
    production.resume(request.session.stash.get(PAUSED, []))
    request.session.stash[PAUSED] = []
    restarted = production.ensure_running()
    if restarted:
        print(f"\nRestarted before {request.node.name}: {', '.join(restarted)}")
    production.cdn.clear()
    production.mailbox.on_recipient = None
    marks = production.log_marks()
    yield production
    production.mailbox.on_recipient = None
    if _failed(request.node):
        print(f"\n===== Logs of the production processes during {request.node.name} =====")
        print(production.log_report(marks))


@pytest.fixture
def figures(request) -> Iterator[Figures]:
    """This scenario's figures, printed and recorded whether it passes or fails."""
    figures = Figures(scenario=request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_"))
    yield figures
    figures.passed = not _failed(request.node)
    figures_record(figures)


@pytest.fixture
def publisher_browser(stack) -> StaffBrowser:
    """A publisher, signed in to the admin on gunicorn."""
    browser = StaffBrowser(stack.base_url)
    browser.sign_in(*data.staff_sign_in_details(roles.PUBLISHERS))
    return browser
