"""Issue 15's central test: a request full of personal data, and none of it on any public surface.

Each surface is one entry of SURFACES (a name and a function of the test client giving the text
the public can get); a new format or API adds one line there.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Callable

import pyarrow.parquet as pq
import pytest
from django.db import connection

from cityhall.opendata.models import PublicRequest, PublicRequestUpdate
from cityhall.opendata.privacy import public_request
from cityhall.opendata.registry import datasets
from cityhall.opendata.services import projection_rebuild

from .conftest import SENSITIVE_POINT

pytestmark = pytest.mark.django_db


def _projection(client) -> str:
    rows = [*PublicRequest.objects.values(), *PublicRequestUpdate.objects.values()]
    return repr([{k: v for k, v in row.items() if k not in ("request_id", "event_id")} for row in rows])


def _sources(client) -> str:
    found = []
    for dataset in datasets():
        sql, params = dataset.source()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found.append(repr(cursor.fetchall()))
    return "\n".join(found)


def _pages(client) -> str:
    pages = ["/data/", *(f"/data/{dataset.id}/" for dataset in datasets())]
    pages += [f"/data/{dataset.id}/?lang=es" for dataset in datasets()]
    return "\n".join(client.get(page).content.decode() for page in pages)


def _soda(client) -> str:
    """Every dataset whole, in every SODA format."""
    formats = ("json", "csv", "geojson")
    urls = [f"/resource/{dataset.id}.{fmt}" for dataset in datasets() for fmt in formats]
    return "\n".join(client.get(url, {"$limit": "50000"}).content.decode() for url in urls)


def _downloads(client) -> str:
    """Every dataset as each bulk file; Parquet read back to text with pyarrow."""
    found = []
    for dataset in datasets():
        for extension in ("csv", "geojson", "csv.gz", "parquet"):
            body = b"".join(client.get(f"/data/{dataset.id}/download.{extension}").streaming_content)
            if extension == "parquet":
                found.append(repr(pq.read_table(io.BytesIO(body)).to_pylist()))
            else:
                found.append((gzip.decompress(body) if extension.endswith(".gz") else body).decode())
    return "\n".join(found)


def _query_downloads(client) -> str:
    """Every dataset through a SODA query as each bulk file (the query path, not the whole-file one)."""
    found = []
    for dataset in datasets():
        for extension in ("csv", "geojson", "parquet"):
            response = client.get(f"/data/{dataset.id}/download.{extension}", {"$select": "*", "$q": ""})
            body = b"".join(response.streaming_content)
            found.append(repr(pq.read_table(io.BytesIO(body)).to_pylist()) if extension == "parquet" else body.decode())
    return "\n".join(found)


SURFACES: list[tuple[str, Callable[..., str]]] = [
    ("projection", _projection),
    ("dataset sources", _sources),
    ("/data.json", lambda client: client.get("/data.json").content.decode()),
    (
        "dictionaries",
        lambda client: "".join(client.get(f"/data/{d.id}/dictionary.json").content.decode() for d in datasets()),
    ),
    ("catalog pages", _pages),
    ("SODA API", _soda),
    ("bulk downloads", _downloads),
    ("query downloads", _query_downloads),
]


@pytest.mark.parametrize("surface", [name for name, _ in SURFACES])
def test_nothing_personal_reaches_a_public_surface(personal_city, client, surface):
    read = dict(SURFACES)[surface]
    for rebuilt in (False, True):  # as kept after each commit, then as `cityhall opendata rebuild` writes it
        if rebuilt:
            projection_rebuild()
        text = read(client)
        leaked = [secret for secret in personal_city.secrets() if secret.lower() in text.lower()]
        assert not leaked, f"{surface} shows {leaked}"


def test_what_is_published_of_each_request(personal_city):
    public = public_request(personal_city.public)
    assert public is not None
    assert public["description"].startswith("Deep pothole by the bus stop. Email me at … or call …")
    assert public_request(personal_city.private) is None
    assert not PublicRequest.objects.filter(service_request_id=personal_city.private.public_id).exists()

    sensitive = PublicRequest.objects.get(service_request_id=personal_city.sensitive.public_id)
    assert (sensitive.description, sensitive.address, sensitive.status_notes) == ("", "", "")
    assert sensitive.location_generalized
    # Moved to a cell's center: within the cell (half a 150 m diagonal) but not the point itself.
    moved = ((sensitive.latitude - SENSITIVE_POINT[0]) * 111_320, (sensitive.longitude - SENSITIVE_POINT[1]) * 92_000)
    assert 0 < (moved[0] ** 2 + moved[1] ** 2) ** 0.5 < 110
    assert set(PublicRequestUpdate.objects.filter(request=sensitive).values_list("description", flat=True)) == {""}


def test_the_cell_size_is_a_setting(personal_city, settings):
    settings.CITYHALL_OPENDATA_SENSITIVE_CELL_METERS = 1000
    coarse = public_request(personal_city.sensitive)
    settings.CITYHALL_OPENDATA_SENSITIVE_CELL_METERS = 150
    fine = public_request(personal_city.sensitive)
    assert coarse is not None and fine is not None
    assert (coarse["latitude"], coarse["longitude"]) != (fine["latitude"], fine["longitude"])
