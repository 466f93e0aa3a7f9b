"""Purging the page cache whenever the public site may have changed."""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete
from django.urls import reverse
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from homeward.context_processors import DIRECTORY_URL_KEY
from homeward.links import absolute_url
from homeward.page_cache import page_cache_purge


def purge_public_caches(instance: Page, **kwargs) -> None:
    # After commit: a request in between must not cache the old content under the new
    # generation.
    transaction.on_commit(page_cache_purge)
    transaction.on_commit(lambda: cache.delete(DIRECTORY_URL_KEY))
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        # Wagtail's frontend cache app purges the page itself from the CDN; the pages
        # that list it (the directory and its feed, the home page) and the sitemap too.
        batch = PurgeBatch()
        batch.add_pages(instance.get_ancestors().live().filter(depth__gt=1))
        batch.add_url(absolute_url(reverse("sitemap")))
        transaction.on_commit(batch.purge)


def register() -> None:
    page_published.connect(purge_public_caches, dispatch_uid="homeward-purge-published")
    page_unpublished.connect(purge_public_caches, dispatch_uid="homeward-purge-unpublished")
    post_page_move.connect(purge_public_caches, dispatch_uid="homeward-purge-moved")
    post_delete.connect(purge_public_caches, sender=Page, dispatch_uid="homeward-purge-deleted")
