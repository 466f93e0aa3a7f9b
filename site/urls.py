from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap

from appeals import admin_scoped_views, photo_views
from appeals import public_urls as appeal_public_urls
from homeward import views
from homeward.sitemap import PublicSitemap
from newsletter import urls as newsletter_urls
from newsletter.api import api as partner_api
from sightings import urls as sightings_urls

urlpatterns = [
    path("health/live", views.live, name="health-live"),
    path("admin/photos/<path:name>", photo_views.photo_preview, name="photo-preview"),
    # Wagtail's explorer and page chooser at a page, less the appeals one may not see.
    *admin_scoped_views.urlpatterns,
    path("admin/", include(wagtailadmin_urls)),
    path("api/v1/", partner_api.urls),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PublicSitemap}}, name="sitemap"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Public pages in every offered language: English without a prefix, the others under
# theirs (/cy/, /ps/ …); see homeward/languages.py.
urlpatterns += i18n_patterns(
    path("", include(appeal_public_urls)),
    path("", include(sightings_urls)),
    path("", include(newsletter_urls)),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
