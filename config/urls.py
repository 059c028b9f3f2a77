"""URL map: each interface mounts its own urls; the domain has none."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from cityhall.api import errors as api_errors
from cityhall.api.urls import unknown as api_unknown
from cityhall.citizen.views import about, photos
from cityhall.citizen.views import errors as citizen_errors
from cityhall.core import admin_titles
from cityhall.core import views as core_views
from cityhall.core.unavailable import server_error_handler
from cityhall.dashboards import views as dashboards_views
from cityhall.open311 import errors as open311_errors
from cityhall.open311.views import error_view

admin.site.site_header = admin.site.site_title = admin_titles.SITE_HEADER
admin.site.index_title = admin_titles.INDEX_TITLE

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("metrics", core_views.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("open311/", include("cityhall.open311.urls")),
    # The JSON API for partners (docs/api.md); any other /api/ address is a problem detail too.
    path("api/v1/", include("cityhall.api.urls")),
    re_path(r"^api/(?P<rest>.*)$", api_unknown),
    # Readings from the city's devices (docs/devices.md); every answer there is data, errors problem details.
    path("devices/", include("cityhall.devices.urls")),
    path("notifications/", include("cityhall.notifications.urls")),
    path("staff/dashboards/", include("cityhall.dashboards.urls")),
    path("performance", dashboards_views.scorecard, name="performance"),
    path("staff/", include("cityhall.staff.urls")),
    path("profile/", include("cityhall.profile.urls")),
    path("live/", include("cityhall.live.urls")),
    # Open data: /data/ (catalog), /data.json (DCAT-US), /resource/<id>.<fmt> (SODA), /data/<id>/download.<fmt>.
    path("", include("cityhall.opendata.urls")),
    # Signed documents: /verify, /verify/<number>, /documents/trust-root.pem, /documents/crl.crl (docs/documents.md).
    path("", include("cityhall.documents.urls")),
    # The resident app sits at the root: /report, /requests, /requests/<public id>, /my-requests.
    path("", include("cityhall.citizen.urls")),
    # Every photo download passes the access check (docs/privacy.md, "Photos").
    # The city's logo (uploaded in the admin) is public; every other stored file is a photo behind its check.
    path("media/city/<path:path>", about.city_file, name="city_file"),
    path("media/<path:path>", photos.photo, name="photo"),
]

# Error pages in the site's frame and the person's language (the resident app owns the frame), except under
# /open311/, where every error is an Open311 error in the URL's format (open311.views.error_view), and
# under /api/, where it is a problem detail (api.errors.error_view); a lost database answers 503 with
# Retry-After in the caller's format (core.unavailable).
handler400 = api_errors.error_view(400, error_view(400, citizen_errors.bad_request))
handler403 = api_errors.error_view(403, error_view(403, citizen_errors.permission_denied))
handler404 = api_errors.error_view(404, error_view(404, citizen_errors.page_not_found))
handler500 = server_error_handler(
    unavailable={settings.API_PREFIX: open311_errors.unavailable, api_errors.PREFIX: api_errors.unavailable},
    otherwise=api_errors.error_view(500, error_view(500, citizen_errors.server_error)),
)
