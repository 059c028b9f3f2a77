"""Open data's addresses: the catalog pages, DCAT-US, the SODA API and bulk downloads (docs/open-data.md)."""

from django.urls import re_path

from .soda import views as soda

app_name = "opendata"

urlpatterns: list = [
    # SODA: /resource/<dataset-id>.<format>; any other format or path there answers JSON, never a page.
    re_path(r"^resource/(?P<dataset_id>[^/.]+)\.(?P<fmt>[^/]*)\Z", soda.resource, name="soda"),
    re_path(r"^resource/(?P<dataset_id>[^/.]+)\Z", soda.resource, name="soda-default"),
    re_path(r"^resource/(?P<rest>.*)\Z", soda.not_found),
]
