from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from homeward.models import CharityDetails, InformationPage

# The addresses and names every public page's header and footer show. Cleared whenever
# a page is published, moved or removed, or the charity's details change (see
# signal_handlers): worked out once, not on every page.
SITE_LINKS_KEY = "site-links"


def site_links_key(language: str) -> str:
    """Each language's pages link to the pages in that language."""
    return f"{SITE_LINKS_KEY}:{language}"


def _site_links() -> dict:
    # The directory is appeals' page: named, as HomePage.subpage_types names it, since
    # homeward imports no app that builds on it.
    AppealIndexPage = apps.get_model("appeals", "AppealIndexPage")
    purpose = InformationPage.Purpose
    footer_order = [purpose.ABOUT, purpose.PRIVACY, purpose.COOKIES, purpose.ACCESSIBILITY]
    pages = {
        page.purpose: page
        for page in InformationPage.objects.live().filter(purpose__in=footer_order)
    }
    directory = AppealIndexPage.objects.live().first()
    return {
        "directory": directory.url if directory else "/",
        "privacy": pages[purpose.PRIVACY].url if purpose.PRIVACY in pages else "",
        "footer": [(pages[kind].title, pages[kind].url) for kind in footer_order if kind in pages],
        "charity_name": CharityDetails.load().name,
    }


def site_chrome(request: HttpRequest) -> dict:
    """What every public page's header and footer need."""
    key = site_links_key(get_language())
    links = SimpleLazyObject(lambda: cache.get_or_set(key, _site_links, timeout=None))
    return {
        "demo_banner": settings.DEMO_BANNER,
        "home_url": SimpleLazyObject(lambda: reverse("wagtail_serve", args=[""])),
        "site_links": links,
        "directory_url": SimpleLazyObject(lambda: links["directory"]),
        # Linked from every form that collects someone's details.
        "privacy_url": SimpleLazyObject(lambda: links["privacy"]),
    }
