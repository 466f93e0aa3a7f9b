"""Purging a frontend cache (CDN or Varnish): what lists a page, and a purge that says
when it failed.

Wagtail's HTTP backend logs a failed purge and carries on, so a takedown recorded its
caches step as done while the CDN still served the appeal. This one raises, so the step
stays pending and the takedown's sweep tries again (and a purge task fails visibly).
"""

from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page

from homeward.languages import language_path
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
    """The CDN addresses that list or show a page, in every offered language: its live
    ancestors (with their feeds), the sitemap, any address of its own elsewhere (an
    appeal's short address and poster), and its own in the other languages (Wagtail
    purges its own in the language at hand)."""
    with translation.override(settings.LANGUAGE_CODE):
        batch = PurgeBatch()
        batch.add_page(page)
        batch.add_pages(page.get_ancestors().live().filter(depth__gt=1))
        batch.add_url(absolute_url(reverse("sitemap")))
        elsewhere = getattr(page.specific_deferred, "cached_paths_elsewhere", list)
        batch.add_urls(absolute_url(path) for path in elsewhere())
        return in_every_language(batch)


def in_every_language(batch: PurgeBatch) -> PurgeBatch:
    """The batch's addresses as each offered language has them: a CDN keeps a copy per
    address. Addresses outside the languages' (the sitemap, media) stay as they are.
    Call it with the default language active, as the batch's addresses are."""
    others = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    urls = set(batch.urls)
    for url in batch.urls:
        # A language's address is the default's with the language's prefix; whether an
        # address is one, the URL patterns say (translate_url leaves others alone).
        if others and translate_url(url, others[0]) != url:
            parts = urlsplit(url)
            urls.update(
                urlunsplit(parts._replace(path=language_path(parts.path, code))) for code in others
            )
    every = PurgeBatch()
    every.add_urls(sorted(urls))
    return every
