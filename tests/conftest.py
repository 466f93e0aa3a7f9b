import pytest
from django.test import Client

from tests import second_factor


@pytest.fixture(autouse=True)
def force_login_verifies_the_second_factor(monkeypatch):
    """Tests that sign in with force_login reach the admin as a person who has also
    entered their code (tests/second_factor.py)."""
    monkeypatch.setattr(Client, "force_login", second_factor.force_login)
