import math

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import settings as hypothesis_settings

from tests import second_factor

# Property tests have no time limit per example: in a parallel run, or on a busy CI
# machine, one example can take longer than Hypothesis's 200 ms without being wrong.
hypothesis_settings.register_profile("homeward", deadline=None)
hypothesis_settings.load_profile("homeward")


@pytest.fixture(autouse=True)
def force_login_verifies_the_second_factor(monkeypatch):
    """Tests that sign in with force_login reach the admin as a person who has also
    entered their code (tests/second_factor.py)."""
    monkeypatch.setattr(Client, "force_login", second_factor.force_login)


@pytest.fixture(autouse=True)
def redis_answering():
    """Each test starts with no memory of Redis failing to answer in an earlier one."""
    from homeward import cache_backend, jobs, task_backend

    for memory in (cache_backend.unreachable, jobs.unreachable, task_backend.unreachable):
        memory.failed_at = -math.inf


@pytest.fixture(autouse=True)
def local_cache_empty():
    """Each test starts with an empty local cache: SQLite gives a rolled-back test's ids
    to the next test's rows, and Wagtail caches renditions by image id. (A shared Redis
    keeps its entries: there, ids are never reused, and each run has its own key prefix.)"""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


@pytest.fixture(scope="module")
def module_rows(django_db_setup, django_db_blocker):
    """A transaction around a module's tests, for rows they share: built once per module
    (once per worker in a parallel run) by the module's own fixtures, which depend on this
    one. Each test's transaction is a savepoint inside it, so whatever a test changes is
    undone after it, and the shared rows after the module's last test. Only for modules
    whose tests all run in a transaction (none with transaction=True or a live server).

    Fixtures building on it return ids or fresh copies to their tests: a row's Python
    object would otherwise carry one test's changes into the next."""
    with django_db_blocker.unblock():
        module_atomic = transaction.atomic()
        # Marked as Django's TestCase marks its own, so that a durable block in the code
        # under test is still allowed inside it.
        module_atomic._from_testcase = True
        module_atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            module_atomic.__exit__(None, None, None)
