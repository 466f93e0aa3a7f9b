"""The sitemap, at the site's public address, with every page in every offered language."""

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.contrib.sitemaps import Sitemap

from homeward.languages import language_path
from homeward.links import absolute_url


class PublicSitemap(Sitemap):
    """Wagtail's sitemap of live public pages, every address built from BASE_URL, each
    page listed in every offered language with the others as its alternates (hreflang).

    Wagtail names the host of its Site record, which says what was true when the
    database was last migrated, or whatever host a proxy passed on; search engines must
    be given the address people use. The sitemap is served in English, so Wagtail's
    addresses are the English ones.
    """

    def _urls(self, page, protocol, domain):
        urls = []
        for url in super()._urls(page, protocol, domain):
            path = urlsplit(url["location"]).path
            versions = [
                (code, absolute_url(language_path(path, code))) for code, _ in settings.LANGUAGES
            ]
            alternates = []
            if len(versions) > 1:
                alternates = [{"lang_code": code, "location": loc} for code, loc in versions]
                alternates.append({"lang_code": "x-default", "location": versions[0][1]})
            urls.extend({**url, "location": loc, "alternates": alternates} for _, loc in versions)
        return urls
