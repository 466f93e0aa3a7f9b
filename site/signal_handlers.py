"""Purging the page cache whenever the public site may have changed (a page, the charity's
details; an image a live appeal shows is appeals.image_rules'); keeping Wagtail's Site at
the public address."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from homeward.context_processors import site_links_key
from homeward.frontend_cache import listing_purge_batch
from homeward.models import CharityDetails
from homeward.page_cache import page_cache_purge


def purge_public_caches(instance: Page, **kwargs) -> None:
    # After commit: a request in between must not cache the old content under the new
    # generation.
    transaction.on_commit(page_cache_purge)
    transaction.on_commit(site_links_forget)
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        # Wagtail's frontend cache app purges the page itself from the CDN; the pages
        # that list it (the directory and its feed, the home page) and the sitemap too.
        batch = listing_purge_batch(instance)
        transaction.on_commit(batch.purge)


def site_links_forget(**kwargs) -> None:
    cache.delete_many([site_links_key(code) for code, _ in settings.LANGUAGES])


def charity_details_changed(**kwargs) -> None:
    transaction.on_commit(site_links_forget)
    transaction.on_commit(page_cache_purge)


def site_at_public_address(**kwargs) -> None:
    """The default Site answers at BASE_URL: Wagtail builds full page URLs from it (the
    sitemap, and the addresses the frontend cache is told to purge)."""
    public = urlsplit(settings.BASE_URL)
    port = public.port or (443 if public.scheme == "https" else 80)
    Site.objects.filter(is_default_site=True).exclude(hostname=public.hostname, port=port).update(
        hostname=public.hostname, port=port
    )


def register() -> None:
    post_migrate.connect(site_at_public_address, dispatch_uid="homeward-site-address")
    # The footer names the charity: its details changed, every cached page did too.
    post_save.connect(
        charity_details_changed, sender=CharityDetails, dispatch_uid="homeward-charity-details"
    )
    page_published.connect(purge_public_caches, dispatch_uid="homeward-purge-published")
    page_unpublished.connect(purge_public_caches, dispatch_uid="homeward-purge-unpublished")
    post_page_move.connect(purge_public_caches, dispatch_uid="homeward-purge-moved")
    post_delete.connect(purge_public_caches, sender=Page, dispatch_uid="homeward-purge-deleted")
