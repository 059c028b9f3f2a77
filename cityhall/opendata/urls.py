"""Open data's addresses: the catalog pages, DCAT-US, the SODA API and bulk downloads (docs/open-data.md)."""

from django.urls import path, re_path

from .soda import views as soda
from .views import downloads, machine, pages

app_name = "opendata"

urlpatterns = [
    path("data.json", machine.data_json, name="data_json"),
    path("data/", pages.catalog_page, name="catalog"),
    path("data/<str:dataset_id>/", pages.dataset_page, name="dataset"),
    path("data/<str:dataset_id>/dictionary.json", machine.dataset_dictionary, name="dictionary"),
    # SODA: /resource/<dataset-id>.<format>; any other format or path there answers JSON, never a page.
    re_path(r"^resource/(?P<dataset_id>[^/.]+)\.(?P<fmt>[^/]*)\Z", soda.resource, name="soda"),
    re_path(r"^resource/(?P<dataset_id>[^/.]+)\Z", soda.resource, name="soda-default"),
    re_path(r"^resource/(?P<rest>.*)\Z", soda.not_found),
    # A whole dataset as a file: download.csv, .geojson, .parquet, .csv.gz, .geojson.gz.
    # Any extension reaches the view, even an empty one, so an unknown format is a JSON 404 too.
    re_path(r"^data/(?P<dataset_id>[^/]+)/download\.(?P<extension>[^/]*)$", downloads.download, name="download"),
    # A nightly snapshot's file: only those its day's SHA256SUMS lists.
    path("data/snapshots/<str:day>/<path:name>", downloads.snapshot_file, name="snapshot"),
]
