"""Purging a frontend cache (CDN or Varnish): what lists a page, and a purge that says
when it failed.

Wagtail's HTTP backend logs a failed purge and carries on, so a takedown recorded its
caches step as done while the CDN still served the appeal. This one raises, so the step
stays pending and the takedown's sweep tries again (and a purge task fails visibly).
"""

from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from django.urls import reverse
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page

from homeward.links import absolute_url

TIMEOUT_SECONDS = 10


class FrontendCachePurgeFailed(Exception):
    pass


class StrictHTTPBackend(HTTPBackend):
    def purge(self, url: str) -> None:
        parts = urlsplit(url)
        request = PurgeRequest(
            url=urlunsplit(
                [self.cache_scheme, self.cache_netloc, parts.path, parts.query, parts.fragment]
            ),
            headers={"Host": parts.netloc, "User-Agent": "Homeward frontend cache purge"},
        )
        try:
            with urlopen(request, timeout=TIMEOUT_SECONDS):  # noqa: S310 (our configured CDN)
                pass
        except HTTPError as error:
            if error.code != 404:  # some caches answer 404 for a page they do not hold
                raise FrontendCachePurgeFailed(f"The CDN refused {url}: {error}") from error
        except (URLError, OSError) as error:
            raise FrontendCachePurgeFailed(f"The CDN did not purge {url}: {error}") from error


def listing_purge_batch(page: Page) -> PurgeBatch:
    """The CDN addresses that list or show a page, besides its own: its live ancestors
    (with their feeds), the sitemap, and any address of its own elsewhere (an appeal's
    short address and poster)."""
    batch = PurgeBatch()
    batch.add_pages(page.get_ancestors().live().filter(depth__gt=1))
    batch.add_url(absolute_url(reverse("sitemap")))
    elsewhere = getattr(page.specific_deferred, "cached_paths_elsewhere", list)
    batch.add_urls(absolute_url(path) for path in elsewhere())
    return batch
