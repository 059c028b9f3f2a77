"""`/data.json` is a DCAT-US 1.1 catalog data.gov can harvest: validated against the official schema, offline."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from cityhall.core import clock
from cityhall.opendata.registry import datasets
from cityhall.requests.tests.builders import submit

pytestmark = pytest.mark.django_db
SCHEMA = Path(__file__).resolve().parent.parent / "schema" / "dcat-us-1.1"


def catalog_validator() -> Draft4Validator:
    """The catalog schema, its $refs resolved from the copies beside it (a ref elsewhere fails, never fetches)."""
    documents = [json.loads(path.read_text()) for path in sorted(SCHEMA.glob("*.json"))]
    registry: Registry = Registry().with_resources(
        (document["id"].rstrip("#"), Resource.from_contents(document, default_specification=DRAFT4))
        for document in documents
    )
    catalog = next(document for document in documents if document["id"].endswith("/catalog.json#"))
    return Draft4Validator(catalog, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)


def test_data_json_validates_against_the_dcat_us_schema(personal_city, client):
    response = client.get("/data.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    found = response.json()
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in catalog_validator().iter_errors(found)]
    assert not errors, errors
    assert found["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"


def test_each_dataset_lists_its_downloads_api_and_dictionary(personal_city, client):
    entries = {entry["landingPage"]: entry for entry in client.get("/data.json").json()["dataset"]}

    assert len(entries) == len(datasets())
    requests = entries["http://testserver/data/r311-sreq/"]
    downloads = {item["mediaType"]: item["downloadURL"] for item in requests["distribution"] if "downloadURL" in item}
    assert downloads == {
        "text/csv": "http://testserver/data/r311-sreq/download.csv",
        "application/geo+json": "http://testserver/data/r311-sreq/download.geojson",
        "application/vnd.apache.parquet": "http://testserver/data/r311-sreq/download.parquet",
    }
    assert [item["accessURL"] for item in requests["distribution"] if "accessURL" in item] == [
        "http://testserver/resource/r311-sreq.json"
    ]
    assert requests["describedBy"] == "http://testserver/data/r311-sreq/dictionary.json"
    assert requests["accessLevel"] == "public"
    assert requests["publisher"]["name"] == "City of Santa Monica"
    assert requests["temporal"].count("/") == 1
    catalog = entries["http://testserver/data/r311-svcs/"]
    assert "application/geo+json" not in {item.get("mediaType") for item in catalog["distribution"]}


def test_the_dictionary_describes_every_column_in_both_languages(client):
    found = client.get("/data/r311-sreq/dictionary.json").json()

    names = [field["name"] for field in found["fields"]]
    assert names[:2] == ["service_request_id", "service_code"]
    location = next(field for field in found["fields"] if field["name"] == "location")
    assert (location["type"], location["latitude"], location["longitude"]) == ("point", "latitude", "longitude")
    assert found["title"] == {"en": "311 service requests", "es": "Solicitudes de servicio 311"}


def test_an_unknown_dataset_is_a_socrata_error_not_a_page(client):
    response = client.get("/data/nope-nope/dictionary.json")

    assert response.status_code == 404
    assert response.json() == {"error": True, "message": "No dataset with id 'nope-nope'."}


def test_the_performance_datasets_time_span_follows_a_new_request(
    personal_city, service, client, django_capture_on_commit_callbacks
):
    def span() -> str:
        entries = {entry["landingPage"]: entry for entry in client.get("/data.json").json()["dataset"]}
        return str(entries["http://testserver/data/r311-perf/"]["temporal"])  # an aggregate: remembered

    first, last = span().split("/")
    with clock.travel(clock.now() + timedelta(days=40)), django_capture_on_commit_callbacks(execute=True):
        submit(service("potholes"), description="A second pothole, weeks later")

    new_first, new_last = span().split("/")
    assert new_first == first
    assert date.fromisoformat(new_last) >= date.fromisoformat(last) + timedelta(days=39)
