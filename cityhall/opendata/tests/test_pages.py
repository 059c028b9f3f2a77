"""The catalog for people over HTTP: browse, search in either language, one dataset's page; the admin's list."""

from __future__ import annotations

import re

import pytest

from cityhall.opendata.registry import datasets

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return re.findall(r'<h3><a href="/data/[a-z0-9-]+/">([^<]+)</a></h3>', response.content.decode())


def test_the_catalog_lists_every_dataset_and_the_footer_links_it(client):
    response = client.get("/data/")

    assert response.status_code == 200
    assert len(titles(response)) == len(datasets())
    assert '<a href="/data/">Open data</a>' in client.get("/").content.decode()


def test_search_by_words_in_either_language_and_by_topic(client):
    assert titles(client.get("/data/", {"q": "boundaries"})) == ["Neighborhoods and zones"]
    assert titles(client.get("/data/", {"q": "límites"})) == ["Neighborhoods and zones"]  # Spanish words, accents
    assert titles(client.get("/data/", {"q": "SERVICE_REQUEST_ID"})) == ["311 service requests", "311 request updates"]
    assert titles(client.get("/data/", {"keyword": "response times"})) == ["311 service performance"]
    nothing = client.get("/data/", {"q": "zzzz"})
    assert titles(nothing) == [] and "No dataset matches" in nothing.content.decode()
    spanish = client.get("/data/", {"keyword": "mapas"}, headers={"accept-language": "es"})
    assert titles(spanish) == ["Barrios y zonas"]


def test_a_dataset_page_previews_rows_and_says_how_to_get_them(personal_city, client):
    html = client.get("/data/r311-sreq/").content.decode()

    assert "<caption>The first 2 rows of 311 service requests</caption>" in html
    assert '<th scope="col">service_request_id</th>' in html
    assert f'<th scope="row">{personal_city.public.public_id}</th>' in html
    for fmt in ("csv", "geojson", "parquet"):
        assert f'href="/data/r311-sreq/download.{fmt}"' in html
    assert 'value="http://testserver/resource/r311-sreq.json"' in html
    assert "r311-sreq.json?$where=status+%3D+&#x27;open&#x27;&amp;$order=requested_datetime+DESC&amp;$limit=5" in html
    assert 'id="od-map-data"' in html
    assert "<code>location_generalized</code>" in html
    every_open = "download.csv?$where=status+%3D+&#x27;open&#x27;&amp;$order=requested_datetime+DESC</code>"
    assert f"http://testserver/data/r311-sreq/{every_open}" in html


def test_a_dataset_page_in_spanish(client):
    html = client.get("/data/city-zone/", headers={"accept-language": "es"}).content.decode()

    assert "<h1>Barrios y zonas</h1>" in html and "Diccionario de datos" in html


def test_an_unknown_dataset_is_the_site_not_found_page(client):
    response = client.get("/data/nope-nope/")

    assert response.status_code == 404 and "text/html" in response["Content-Type"]


def test_admins_see_the_datasets_and_cannot_change_them(client, people):
    client.force_login(people["admin"])
    listing = client.get("/admin/opendata/publisheddataset/")

    assert listing.status_code == 200
    html = listing.content.decode()
    assert all(dataset.id in html for dataset in datasets())
    assert "311 service performance" in html
    assert client.get("/admin/opendata/publisheddataset/add/").status_code == 403
    assert client.get("/admin/opendata/publisheddataset/r311-sreq/change/").status_code == 200
    assert client.post("/admin/opendata/publisheddataset/r311-sreq/delete/").status_code == 403


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "pages of up to 50,000 rows"), ("es", "páginas de hasta 50\xa0000 filas")],
)
def test_the_api_s_page_size_is_written_as_every_count_on_the_site(client, language, said):
    """One way to write a count per language (core/numbers.py): the scorecard and the row counts group
    Spanish thousands with a space, so this sentence does not say "50.000"."""
    html = client.get("/data/r311-sreq/", headers={"accept-language": language}).content.decode()
    assert said in html and "50.000" not in html
