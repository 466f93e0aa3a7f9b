from urllib.parse import urljoin

from django.conf import settings


def absolute_url(url: str) -> str:
    """An address that works off the site, in share links, meta tags, feeds and emails.

    Built from BASE_URL rather than the request, so every copy of a link (cached pages,
    emails sent by workers) names the same public address.
    """
    return urljoin(settings.BASE_URL + "/", url)
