import pytest

from appeals.models import AppealIndexPage
from homeward.page_cache import page_cache_purge
from tests import factories
from tests.mail import mailbox  # noqa: F401 (a fixture for every test that sends email)


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Each test starts with an empty page cache (a shared Redis outlives tests)."""
    page_cache_purge()


@pytest.fixture
def directory(db) -> AppealIndexPage:
    """The appeals directory that the data migrations create."""
    return AppealIndexPage.objects.get()


@pytest.fixture
def appeal(directory):
    return factories.appeal_create(parent=directory)
