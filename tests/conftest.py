import pytest
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
def local_cache_empty():
    """Each test starts with an empty local cache: SQLite gives a rolled-back test's ids
    to the next test's rows, and Wagtail caches renditions by image id. (A shared Redis
    keeps its entries: there, ids are never reused, and each run has its own key prefix.)"""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()
