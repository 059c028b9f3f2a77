"""Open data's addresses: the catalog pages, DCAT-US, the SODA API and bulk downloads (docs/open-data.md)."""

from django.urls import path

from .views import machine, pages

app_name = "opendata"

urlpatterns = [
    path("data.json", machine.data_json, name="data_json"),
    path("data/", pages.catalog_page, name="catalog"),
    path("data/<str:dataset_id>/", pages.dataset_page, name="dataset"),
    path("data/<str:dataset_id>/dictionary.json", machine.dataset_dictionary, name="dictionary"),
]
