from functools import cache
from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse


def absolute_url(url: str) -> str:
    """An address that works off the site, in share links, meta tags, feeds and emails.

    Built from BASE_URL rather than the request, so every copy of a link (cached pages,
    emails sent by workers) names the same public address.
    """
    return urljoin(settings.BASE_URL + "/", url)


@cache
def _admin_prefix() -> str:
    return reverse("wagtailadmin_home")


def is_admin_path(path: str) -> bool:
    """Whether a path is the Wagtail admin's (or one of ours served under it)."""
    return path.startswith(_admin_prefix())
