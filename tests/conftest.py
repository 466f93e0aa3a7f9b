import pytest
from django.test import Client

from tests import second_factor


@pytest.fixture(autouse=True)
def force_login_verifies_the_second_factor(monkeypatch):
    """Tests that sign in with force_login reach the admin as a person who has also
    entered their code (tests/second_factor.py)."""
    monkeypatch.setattr(Client, "force_login", second_factor.force_login)


@pytest.fixture(autouse=True)
def local_cache_empty():
    """Each test starts with an empty local cache: SQLite gives a rolled-back test's ids
    to the next test's rows, and Wagtail caches renditions by image id. (A shared Redis
    keeps its entries: there, ids are never reused, and each run has its own key prefix.)"""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()
