"""Social channels for the fan-out's tests: switched on with test credentials, and the
networks' HTTP APIs faked (see channel_fakes); a frontend cache to purge."""

import pytest
import responses

from tests.appeals.channel_fakes import MASTODON
from tests.frontend_cache import PurgeEndpoint


@pytest.fixture
def x_on(settings):
    settings.X_API_KEY = "test-consumer-key"
    settings.X_API_SECRET = "test-consumer-secret"
    settings.X_ACCESS_TOKEN = "test-access-token"
    settings.X_ACCESS_TOKEN_SECRET = "test-access-secret"


@pytest.fixture
def mastodon_on(settings):
    settings.MASTODON_API_BASE_URL = MASTODON
    settings.MASTODON_ACCESS_TOKEN = "test-mastodon-token"


@pytest.fixture
def network():
    """Every HTTP request the test makes: an unexpected one fails with ConnectionError."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def frontend_cache(settings):
    """A frontend cache's purge endpoint on loopback, as production configures it."""
    endpoint = PurgeEndpoint()
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "homeward.frontend_cache.StrictHTTPBackend",
            "LOCATION": endpoint.url,
        }
    }
    yield endpoint.purges
    endpoint.stop()
