"""Nightly snapshots kept in an S3-compatible bucket (moto's server on loopback, over HTTP): written there,
downloaded through the site with checksums that verify, pruned from the bucket, never public in it."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest

from cityhall.opendata.registry import dataset, datasets
from cityhall.opendata.selectors import snapshots
from cityhall.opendata.services.snapshots import snapshots_write

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 4)
FORMATS = 3  # csv, geojson, parquet


def test_snapshots_are_written_to_the_bucket_and_downloaded_through_the_site(client, reported, bucket):
    assert snapshots_write(day=DAY).written == len(datasets()) * FORMATS

    folder = f"opendata/snapshots/{DAY.isoformat()}"
    assert {key for key in bucket.object_keys() if key.startswith(folder)} == {
        f"{folder}/{name}"
        for chosen in datasets()
        for name in [f"{chosen.id}.csv", f"{chosen.id}.geojson", f"{chosen.id}.parquet"]
    } | {f"{folder}/SHA256SUMS"}
    listed = snapshots(dataset("r311-sreq"))
    assert [s.extension for s in listed] == ["csv", "geojson", "parquet"]
    for snapshot in listed:
        response = client.get(snapshot.path)
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        assert body == bucket.read(snapshot.storage_name)
        assert hashlib.sha256(body).hexdigest() == snapshot.sha256
        assert int(response["Content-Length"]) == len(body)
        assert bucket.anonymous_get(snapshot.storage_name) == 403
    assert snapshots_write(day=DAY).written == 0  # the day is complete in the bucket: nothing written again


def test_days_past_the_keeping_period_are_deleted_from_the_bucket(settings, bucket):
    settings.CITYHALL_OPENDATA_SNAPSHOT_DAYS = 7
    old = DAY - timedelta(days=7)
    snapshots_write(day=old)
    assert any(key.startswith(f"opendata/snapshots/{old.isoformat()}/") for key in bucket.object_keys())

    report = snapshots_write(day=DAY)

    assert report.pruned == len(datasets()) * FORMATS + 1
    assert not any(key.startswith(f"opendata/snapshots/{old.isoformat()}/") for key in bucket.object_keys())
    assert [s.day for s in snapshots(dataset("r311-svcs"))] == [DAY] * FORMATS
