"""URL map: each interface mounts its own urls; the domain has none."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views import defaults
from django.views.static import serve

from cityhall.core import views as core_views
from cityhall.open311.views import error_view

admin.site.site_header = "CityHall administration"
admin.site.site_title = "CityHall admin"
admin.site.index_title = "City policy, catalogue and requests"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("open311/", include("cityhall.open311.urls")),
    path("notifications/", include("cityhall.notifications.urls")),
    path("staff/", include("cityhall.staff.urls")),
    path("profile/", include("cityhall.profile.urls")),
    path("live/", include("cityhall.live.urls")),
    # The resident app sits at the root: /report, /requests, /requests/<public id>, /my-requests.
    path("", include("cityhall.citizen.urls")),
    # Photos are stored already sanitised (EXIF stripped, re-encoded), so serving them as files is safe.
    path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
]

# An exception that escapes a view (or a 404 raised outside the Open311 routes) must still answer
# an Open311 client in its own format; the site keeps Django's pages.
handler400 = error_view(400, defaults.bad_request)
handler403 = error_view(403, defaults.permission_denied)
handler404 = error_view(404, defaults.page_not_found)
handler500 = error_view(500, defaults.server_error)
