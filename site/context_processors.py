from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

# Cleared whenever a page is published, moved or removed (see signal_handlers).
DIRECTORY_URL_KEY = "directory-url"


def _directory_url() -> str:
    from appeals.models import AppealIndexPage

    directory = AppealIndexPage.objects.live().first()
    return directory.url if directory else "/"


def site_chrome(request: HttpRequest) -> dict:
    """What every public page's header and footer need."""
    return {
        "demo_banner": settings.DEMO_BANNER,
        "directory_url": SimpleLazyObject(
            lambda: cache.get_or_set(DIRECTORY_URL_KEY, _directory_url, timeout=None)
        ),
    }
