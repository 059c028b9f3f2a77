"""Open data's addresses: the catalog pages, DCAT-US, the SODA API and bulk downloads (docs/open-data.md)."""

from django.urls import path, re_path

from .views import downloads, machine, pages

app_name = "opendata"

urlpatterns = [
    path("data.json", machine.data_json, name="data_json"),
    path("data/", pages.catalog_page, name="catalog"),
    path("data/<str:dataset_id>/", pages.dataset_page, name="dataset"),
    path("data/<str:dataset_id>/dictionary.json", machine.dataset_dictionary, name="dictionary"),
    # A whole dataset as a file: download.csv, .geojson, .parquet, .csv.gz, .geojson.gz.
    # Any extension reaches the view, even an empty one, so an unknown format is a JSON 404 too.
    re_path(r"^data/(?P<dataset_id>[^/]+)/download\.(?P<extension>[^/]*)$", downloads.download, name="download"),
    # A nightly snapshot's file: only those its day's SHA256SUMS lists.
    path("data/snapshots/<str:day>/<path:name>", downloads.snapshot_file, name="snapshot"),
]
