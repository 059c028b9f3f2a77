"""URL map: each interface mounts its own urls; the domain has none."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from cityhall.core import views as core_views
from cityhall.core.unavailable import server_error_handler
from cityhall.open311.errors import unavailable as open311_unavailable

admin.site.site_header = "CityHall administration"
admin.site.site_title = "CityHall admin"
admin.site.index_title = "City policy, catalogue and requests"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("open311/v2/", include("cityhall.open311.urls")),
    path("notifications/", include("cityhall.notifications.urls")),
    path("staff/", include("cityhall.staff.urls")),
    path("profile/", include("cityhall.profile.urls")),
    path("live/", include("cityhall.live.urls")),
    # The resident app sits at the root: /report, /requests, /requests/<public id>, /my-requests.
    path("", include("cityhall.citizen.urls")),
    # Photos are stored already sanitised (EXIF stripped, re-encoded), so serving them as files is safe.
    path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
]

# A lost database answers 503 with Retry-After in the caller's format; every other fault stays a 500.
handler500 = server_error_handler({settings.API_PREFIX: open311_unavailable})
