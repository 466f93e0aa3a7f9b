"""The sitemap, at the site's public address."""

from urllib.parse import urlsplit

from wagtail.contrib.sitemaps import Sitemap

from homeward.links import absolute_url


class PublicSitemap(Sitemap):
    """Wagtail's sitemap of live public pages, every address built from BASE_URL.

    Wagtail names the host of its Site record, which says what was true when the
    database was last migrated, or whatever host a proxy passed on; search engines must
    be given the address people use.
    """

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            url["location"] = absolute_url(urlsplit(url["location"]).path)
        return urls
