"""Routes under /open311/. Every v2 resource answers .xml and .json; anything else is an Open311 404."""

from django.urls import include, path, re_path

from . import views

FMT = r"\.(?P<fmt>xml|json)"

resources = [
    re_path(rf"^discovery{FMT}$", views.discovery, name="open311-discovery"),
    re_path(rf"^services{FMT}$", views.services, name="open311-services"),
    # `service/` (singular) is an old client bug that clients still send.
    re_path(rf"^services?/(?P<code>[^/]+?){FMT}$", views.service_definition, name="open311-service"),
    re_path(rf"^requests{FMT}$", views.requests, name="open311-requests"),
    re_path(rf"^requests/(?P<request_id>[^/]+?){FMT}$", views.request_detail, name="open311-request"),
    re_path(rf"^tokens/(?P<token>[^/]+?){FMT}$", views.token, name="open311-token"),
    re_path(rf"^servicerequestupdates{FMT}$", views.updates, name="open311-updates"),
]

urlpatterns = [
    path("v2/", include(resources)),
    # Every other path under the base, including ones with an encoded newline (`.` and Django's
    # <path:> stop at one, which left such paths to the site's HTML 404 page).
    re_path(r"^[\s\S]*$", views.unknown),
]
