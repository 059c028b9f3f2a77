"""Open data's addresses: the catalog pages, DCAT-US, the SODA API and bulk downloads (docs/open-data.md)."""

from django.urls import re_path

from . import download_views

app_name = "opendata"

urlpatterns: list = [
    # A whole dataset as a file: download.csv, .geojson, .parquet, .csv.gz, .geojson.gz.
    # Any extension reaches the view, even an empty one, so an unknown format is a JSON 404 too.
    re_path(r"^data/(?P<dataset_id>[^/]+)/download\.(?P<extension>[^/]*)$", download_views.download, name="download"),
]
