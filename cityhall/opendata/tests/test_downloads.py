"""`/data/<id>/download.<fmt>`: every dataset as CSV, GeoJSON and Parquet over HTTP, read back as written."""

from __future__ import annotations

import csv
import gzip
import io
import json

import pyarrow.parquet as pq
import pytest

from cityhall.opendata.downloads import rows
from cityhall.opendata.formats import stream_csv
from cityhall.opendata.registry import dataset, datasets
from cityhall.requests.tests.builders import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(reported):
    """The two public requests (the second of a sensitive category)."""
    return reported[:2]


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_requests_csv_reads_back_with_every_public_column(client, published):
    pothole, noisy = published

    response = client.get("/data/r311-sreq/download.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="service-requests.csv"'
    table = list(csv.DictReader(io.StringIO(_body(response).decode())))
    assert list(table[0]) == [column.name for column in dataset("r311-sreq").columns]
    by_id = {row["service_request_id"]: row for row in table}
    assert set(by_id) == {pothole.public_id, noisy.public_id}
    assert by_id[pothole.public_id]["location"].startswith("POINT (-118.49")
    assert (by_id[noisy.public_id]["description"], by_id[noisy.public_id]["location_generalized"]) == ("", "true")


def test_csv_is_the_same_file_on_the_fast_path_and_the_python_path(client, published):
    """On PostgreSQL the CSV comes from COPY; it must equal what the Python writer makes of the rows."""
    for chosen in datasets():
        expected = b"".join(stream_csv(chosen.columns, rows(chosen)))

        assert _body(client.get(f"/data/{chosen.id}/download.csv")) == expected, chosen.id


def test_requests_geojson_has_a_point_per_request(client, published):
    response = client.get("/data/r311-sreq/download.geojson")

    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(_body(response))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 2
    assert {feature["geometry"]["type"] for feature in collection["features"]} == {"Point"}


def test_zones_geojson_carries_their_polygons(client):
    collection = json.loads(_body(client.get("/data/city-zone/download.geojson")))

    assert collection["features"]
    assert {feature["geometry"]["type"] for feature in collection["features"]} <= {"Polygon", "MultiPolygon"}


def test_every_dataset_reads_back_in_every_format(client, published):
    for chosen in datasets():
        names = [column.name for column in chosen.columns]
        table = list(csv.reader(io.StringIO(_body(client.get(f"/data/{chosen.id}/download.csv")).decode())))
        collection = json.loads(_body(client.get(f"/data/{chosen.id}/download.geojson")))
        parquet = client.get(f"/data/{chosen.id}/download.parquet")
        frame = pq.read_table(io.BytesIO(_body(parquet)))

        assert table[0] == names, chosen.id
        assert len(collection["features"]) == len(table) - 1 == frame.num_rows, chosen.id
        assert frame.column_names == names, chosen.id
        assert parquet["Content-Type"] == "application/vnd.apache.parquet"


def test_no_download_holds_the_reporters_contact_or_a_private_request(client, published):
    for chosen in datasets():
        for extension in ("csv", "geojson", "csv.gz"):
            body = _body(client.get(f"/data/{chosen.id}/download.{extension}"))
            text = (gzip.decompress(body) if extension.endswith(".gz") else body).decode()
            for secret in ("Rosa", "rosa.reporter", "555-0147", "A private matter"):
                assert secret not in text, (chosen.id, extension, secret)


def test_revalidation_answers_304_until_the_data_changes(
    client, service, published, django_capture_on_commit_callbacks
):
    first = client.get("/data/r311-sreq/download.csv")
    etag, last_modified = first["ETag"], first["Last-Modified"]

    assert client.get("/data/r311-sreq/download.csv", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/data/r311-sreq/download.csv", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        submit(service("potholes"), description="Another hole")
    changed = client.get("/data/r311-sreq/download.csv", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_gzip_on_the_wire_when_asked_and_as_a_file(client, published):
    plain = _body(client.get("/data/r311-sreq/download.csv"))

    encoded = client.get("/data/r311-sreq/download.csv", HTTP_ACCEPT_ENCODING="gzip, deflate")
    as_file = client.get("/data/r311-sreq/download.csv.gz")
    parquet = client.get("/data/r311-sreq/download.parquet", HTTP_ACCEPT_ENCODING="gzip")

    assert encoded["Content-Encoding"] == "gzip"
    assert encoded["Content-Type"] == "text/csv; charset=utf-8"
    assert gzip.decompress(_body(encoded)) == plain
    assert as_file["Content-Type"] == "application/gzip"
    assert as_file["Content-Disposition"] == 'attachment; filename="service-requests.csv.gz"'
    assert not as_file.has_header("Content-Encoding")
    assert gzip.decompress(_body(as_file)) == plain
    assert not parquet.has_header("Content-Encoding")


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("/data/abcd-1234/download.csv", "abcd-1234"),
        ("/data/r311-sreq/download.xlsx", "xlsx"),
        ("/data/r311-sreq/download.parquet.gz", "parquet.gz"),
        ("/data/r311-sreq/download.", "''"),
    ],
)
def test_unknown_dataset_or_format_is_a_socrata_404(client, path, named):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"] is True
    assert named in body["message"]


def test_a_write_is_refused_in_json(client):
    response = client.post("/data/r311-sreq/download.csv")

    assert response.status_code == 405
    assert response.json()["error"] is True
