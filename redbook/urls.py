from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import urls as accounts_urls
from analytics import urls as analytics_urls
from feeds import urls as feeds_urls
from messaging import urls as messaging_urls
from moderation import urls as moderation_urls
from notifications import urls as notifications_urls
from partners import urls as partners_urls
from posts import urls as posts_urls
from redbook import health
from redbook.exceptions import api_not_found
from redbook.media_files import serve_media
from redbook.storage import serve_original
from search import urls as search_urls
from shop import urls as shop_urls

api_v1 = [
    *accounts_urls.api_urlpatterns,
    *posts_urls.api_urlpatterns,
    *shop_urls.api_urlpatterns,
    *feeds_urls.api_urlpatterns,
    *search_urls.api_urlpatterns,
    *moderation_urls.api_urlpatterns,
    *notifications_urls.api_urlpatterns,
    *partners_urls.api_urlpatterns,
    *analytics_urls.api_urlpatterns,
    *messaging_urls.api_urlpatterns,
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_v1)),
    re_path(r"^api/v1/", api_not_found),  # an unknown API path: JSON 404 (API.md "Errors")
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's page carries one inline <style>; only this page allows inline styles.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
    path("", include(accounts_urls)),
    path("", include(posts_urls)),
    path("", include(shop_urls)),
    path("", include(feeds_urls)),
    path("", include(moderation_urls)),
    path("", include(search_urls)),
    path("", include(notifications_urls)),
    path("", include(partners_urls)),
    path("", include(analytics_urls)),
    path("", include(messaging_urls)),
]


# Media is served by Django itself (nosniff via SecurityMiddleware; every stored
# image and video is re-encoded by its pipeline), answering Range requests for video
# seeking (redbook/media_files.py), with a long cache life (names are written once).
# nginx, a CDN or django-storages can take this over.
urlpatterns += [
    re_path(r"^media/(?P<path>.*)$", serve_media),
    # Private originals on the local disk, by signed short-lived URL (redbook/storage.py).
    re_path(r"^originals/(?P<name>.+)$", serve_original, name="original"),
]

# A database error raised outside a view (e.g. by a middleware) is a 503, not a 500.
handler500 = "redbook.db_errors.server_error"
handler400 = "redbook.exceptions.bad_request_handler"
