"""Nightly snapshots: every dataset in every format in the media storage, with checksums that verify,
listed for the dataset page, downloadable, written once a day and kept for the configured days."""

from __future__ import annotations

import hashlib
import io
from datetime import date, timedelta

import pyarrow.parquet as pq
import pytest
from django.core.files.storage import default_storage

from cityhall.opendata.registry import dataset, datasets
from cityhall.opendata.selectors import snapshots
from cityhall.opendata.services.snapshots import snapshots_write
from cityhall.opendata.tasks import write_nightly_snapshots

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 4)


def test_the_task_writes_every_dataset_in_every_format_with_checksums_that_verify(reported, settings):
    assert write_nightly_snapshots.call() == len(datasets()) * 3

    folder = settings.MEDIA_ROOT / "opendata" / "snapshots" / date.today().isoformat()
    sums = (folder / "SHA256SUMS").read_text().splitlines()
    assert len(sums) == len(datasets()) * 3
    for line in sums:
        expected, name = line.split("  ")
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == expected
    frame = pq.read_table(folder / "r311-sreq.parquet")
    assert sorted(frame.column("service_request_id").to_pylist()) == sorted(r.public_id for r in reported[:2])
    assert write_nightly_snapshots.call() == 0  # the day is complete: a second run writes nothing


def test_snapshots_are_listed_and_download_as_written(client, reported):
    snapshots_write(day=DAY)

    listed = snapshots(dataset("r311-sreq"))
    assert [(s.day, s.extension) for s in listed] == [(DAY, "csv"), (DAY, "geojson"), (DAY, "parquet")]
    parquet = listed[2]
    response = client.get(parquet.path)
    body = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/vnd.apache.parquet"
    assert response["Content-Disposition"] == 'attachment; filename="service-requests-2026-12-04.parquet"'
    assert hashlib.sha256(body).hexdigest() == parquet.sha256
    assert pq.read_table(io.BytesIO(body)).num_rows == 2
    assert client.get(parquet.path, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_old_days_are_pruned_and_an_interrupted_day_is_redone(settings):
    settings.CITYHALL_OPENDATA_SNAPSHOT_DAYS = 7
    snapshots_write(day=DAY - timedelta(days=7))
    default_storage.delete(f"opendata/snapshots/{DAY - timedelta(days=1)}/SHA256SUMS")  # nothing there: harmless
    default_storage.save(f"opendata/snapshots/{DAY}/r311-sreq.csv", io.BytesIO(b"cut short"))

    report = snapshots_write(day=DAY)

    assert report.pruned == len(datasets()) * 3 + 1
    assert [s.day for s in snapshots(dataset("r311-svcs"))] == [DAY] * 3
    assert default_storage.open(f"opendata/snapshots/{DAY}/r311-sreq.csv").read().startswith(b"service_request_id,")


@pytest.mark.parametrize(
    "path",
    [
        "/data/snapshots/2026-12-04/r311-sreq.csv",  # no snapshot that day
        "/data/snapshots/2026-12-04/..%2FSHA256SUMS",
        "/data/snapshots/2026-12-04/nope-nope.csv",
        "/data/snapshots/2026-12-04/../../r311-sreq.csv",
    ],
)
def test_anything_but_a_listed_snapshot_is_a_json_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response.json()["error"] is True


def test_the_dataset_page_lists_each_night_with_its_checksums(client, reported):
    snapshots_write(day=DAY)
    parquet = snapshots(dataset("r311-sreq"))[2]

    page = client.get("/data/r311-sreq/").content.decode()

    assert f'href="{parquet.path}"' in page and parquet.sha256 in page
    assert 'datetime="2026-12-04"' in page
    # Each file named as the download buttons name its format, in the reader's language around it.
    assert f'<a href="{parquet.path}" download>Parquet</a>' in page and "SHA-256 of the GeoJSON file" in page
    spanish = client.get("/data/r311-sreq/", headers={"accept-language": "es"}).content.decode()
    assert "4 de diciembre de 2026" in spanish and "SHA-256 del archivo GeoJSON" in spanish
    downloaded = b"".join(client.get(parquet.path).streaming_content)
    assert hashlib.sha256(downloaded).hexdigest() == parquet.sha256
