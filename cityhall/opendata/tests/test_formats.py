"""The writers od-soda's query results and the bulk downloads share: each file reads back as written."""

from __future__ import annotations

import csv
import gzip
import io
import json
from datetime import UTC, datetime
from typing import NamedTuple

import pyarrow.parquet as pq

from cityhall.opendata.formats import gzipped, stream_csv, stream_geojson, stream_parquet, write_parquet
from cityhall.opendata.formats.parquet import ROWS_PER_GROUP


class Col(NamedTuple):
    name: str
    type: str


COLUMNS = [
    Col("service_request_id", "text"),
    Col("support_count", "number"),
    Col("location_generalized", "checkbox"),
    Col("requested_datetime", "calendar_date"),
    Col("location", "point"),
    Col("description", "text"),
]
# As SQLite hands them back (booleans 0/1, times as text) and as PostgreSQL does.
ROWS = [
    ("101", 3, 1, "2026-12-04 08:30:00.250000", (34.0119, -118.4916), 'Pothole, "deep"\nby the curb'),
    ("102", None, False, datetime(2026, 12, 3, 17, 5, tzinfo=UTC), (None, None), ""),
]


def test_csv_reads_back_with_the_csv_module():
    text = b"".join(stream_csv(COLUMNS, ROWS)).decode()

    header, first, second = list(csv.reader(io.StringIO(text)))
    assert header == [column.name for column in COLUMNS]
    assert first == ["101", "3", "true", "2026-12-04T08:30:00+00:00", "POINT (-118.4916 34.0119)", ROWS[0][5]]
    assert second == ["102", "", "false", "2026-12-03T17:05:00+00:00", "", ""]


def test_geojson_is_a_feature_collection_with_points_and_typed_properties():
    collection = json.loads(b"".join(stream_geojson(COLUMNS, ROWS)))

    assert collection["type"] == "FeatureCollection"
    first, second = collection["features"]
    assert first["geometry"] == {"type": "Point", "coordinates": [-118.4916, 34.0119]}
    assert first["properties"]["support_count"] == 3
    assert first["properties"]["location_generalized"] is True
    assert "location" not in first["properties"]
    assert second["geometry"] is None


def test_geojson_carries_a_zone_polygon():
    polygon = {"type": "Polygon", "coordinates": [[[-118.5, 34.0], [-118.4, 34.0], [-118.4, 34.1], [-118.5, 34.0]]]}
    columns = [Col("zone_id", "text"), Col("the_geom", "multipolygon")]

    collection = json.loads(b"".join(stream_geojson(columns, [("pico", json.dumps(polygon))])))

    assert collection["features"][0]["geometry"] == polygon
    assert collection["features"][0]["properties"] == {"zone_id": "pico"}


def test_parquet_reads_back_with_pyarrow_in_row_groups():
    many = [(str(n), n, n % 2, "2026-12-04 08:30:00", (34.0, -118.5), "") for n in range(ROWS_PER_GROUP + 5)]

    table = pq.read_table(io.BytesIO(b"".join(stream_parquet(COLUMNS, many))))
    metadata = pq.ParquetFile(io.BytesIO(b"".join(stream_parquet(COLUMNS, many)))).metadata

    assert table.num_rows == len(many)
    assert metadata.num_row_groups == 2
    assert table.column("support_count").to_pylist()[-1] == ROWS_PER_GROUP + 4
    assert table.column("location_generalized").to_pylist()[:2] == [False, True]
    assert table.column("requested_datetime")[0].as_py() == datetime(2026, 12, 4, 8, 30, tzinfo=UTC)


def test_parquet_of_no_rows_is_a_valid_empty_file(tmp_path):
    target = tmp_path / "empty.parquet"

    assert write_parquet(COLUMNS, [], target) == 0
    assert pq.read_table(target).column_names == [column.name for column in COLUMNS]


def test_gzipped_stream_decompresses_to_the_same_bytes():
    plain = b"".join(stream_csv(COLUMNS, ROWS))

    assert gzip.decompress(b"".join(gzipped(stream_csv(COLUMNS, ROWS)))) == plain
