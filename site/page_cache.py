"""A shared cache of public pages, purged whole whenever a page changes.

Public pages opt in by sending ``Cache-Control: public, s-maxage=N`` (see
``public_cache_control``), the same header a CDN in front of the site obeys. Entries are
tagged with a generation token; purging replaces the token, which retires every entry at
once on every web worker. Purging everything is deliberate: publishing is rare, and an
appeal that is taken down must leave the directory, the home page and the feed as surely
as its own page.
"""

import hashlib
import re
import time
import uuid
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

GENERATION_KEY = "page-cache:generation"
S_MAXAGE = re.compile(r"\bs-maxage=(\d+)")
# Never public pages: no cache lookup is spent on them. The partners' API answers each key
# by what it may read: it caches its answers itself (newsletter/api.py), never by URL.
UNCACHED_PREFIXES = ("/admin/", "/api/", "/health/", "/static/", "/media/")


def public_cache_control(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    """Mark a page response as shareable by caches, for anonymous visitors only.

    Browsers must revalidate (max-age=0) so that a taken-down page is not kept on a
    phone; shared caches keep it for PAGE_CACHE_SECONDS or until the next purge. A page
    that marked itself private stays private.
    """
    if (
        request.user.is_authenticated
        or not settings.PAGE_CACHE_SECONDS
        or "private" in response.get("Cache-Control", "")
    ):
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=0, s_maxage=settings.PAGE_CACHE_SECONDS)
    return response


def shorten_shared_caching(response: HttpResponse, *, until: datetime) -> HttpResponse:
    """Let shared caches keep a page no later than ``until`` (when it must disappear)."""
    cache_control = response.get("Cache-Control", "")
    match = S_MAXAGE.search(cache_control)
    if match:
        remaining = max(0, int((until - timezone.now()).total_seconds()))
        if remaining < int(match.group(1)):
            response["Cache-Control"] = S_MAXAGE.sub(f"s-maxage={remaining}", cache_control)
    return response


# The generation this process last read, and when: see page_cache_generation(max_age=).
_last_read = {"at": -1e9, "generation": ""}


def page_cache_generation(*, max_age: float = 0) -> str:
    """The current generation: anything cached under it is retired by the next purge.

    ``max_age`` lets a hot path reuse the generation this process read that many seconds
    ago, instead of asking the cache every time.
    """
    now = time.monotonic()
    if now - _last_read["at"] > max_age or not _last_read["generation"]:
        _last_read.update(at=now, generation=cache.get(GENERATION_KEY) or page_cache_purge())
    return _last_read["generation"]


class PageCachePurgeFailed(Exception):
    """The cache did not take the new generation: old pages may still be served."""


def page_cache_purge(*, confirm: bool = False) -> str:
    """Retire every cached page, on every worker, at once; return the new generation.

    The cache shrugs off an unreachable Redis (homeward/cache_backend.py); ``confirm``
    reads the generation back and raises if it did not land, for a caller that must
    retry until it has (a takedown).
    """
    generation = uuid.uuid4().hex
    cache.set(GENERATION_KEY, generation, timeout=None)
    _last_read.update(at=time.monotonic(), generation=generation)
    if confirm and cache.get(GENERATION_KEY) != generation:
        raise PageCachePurgeFailed("The page cache could not be purged.")
    return generation


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._may_use_cache(request):
            return self.get_response(request)

        key = "page-cache:" + hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        if generation is None:
            # Never purged, or the token was evicted: start a generation no entry has.
            generation = page_cache_purge()
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            return entry[1]

        response = self.get_response(request)
        seconds = self._shareable_seconds(response)
        if seconds:
            if hasattr(response, "render") and callable(response.render):
                response.render()
            cache.set(key, (generation, response), timeout=seconds)
        return response

    @staticmethod
    def _may_use_cache(request: HttpRequest) -> bool:
        # Anyone with a session may be signed in and must see the live page.
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method == "GET"
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(UNCACHED_PREFIXES)
        )

    @staticmethod
    def _shareable_seconds(response: HttpResponse) -> int:
        cache_control = response.get("Cache-Control", "")
        if (
            response.status_code != 200
            or response.streaming
            or response.cookies
            or "public" not in cache_control
        ):
            return 0
        match = S_MAXAGE.search(cache_control)
        return int(match.group(1)) if match else 0


class PublicPageMixin:
    """For pages of the public site: shareable by caches while anonymous visitors read them."""

    def serve(self, request, *args, **kwargs):
        return public_cache_control(super().serve(request, *args, **kwargs), request)
