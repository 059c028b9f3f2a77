"""The importer's two ways in write the same thing: COPY through staging tables (PostgreSQL) and INSERTs.

Also the pieces that made it fast for both: dates read as strptime reads them, and a batch's points
located at once as one point at a time would be.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import shapely
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from cityhall.catalogue.models import Zone
from cityhall.core.geometry import parse_area
from cityhall.geo.lookup import PointsLocator, jurisdiction_contains, zone_for_point
from cityhall.requests.models import RequestEvent, ServiceRequest
from cityhall.requests.services import CsvExport, ImportReport, load_mapping, service_requests_import
from cityhall.requests.services.import_dates import strptime_reader
from cityhall.requests.services.import_mapping import ImportMapping
from cityhall.requests.tests.builders import holding_public_id

FIXTURES = Path(__file__).resolve().parent / "fixtures"
OTHER_FILE = FIXTURES / "other_city_311.csv"
OTHER_MAPPING = FIXTURES / "other_city_mapping.toml"
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")

# Rows after the other city's file: a request closed the moment it came in (its two events tie on
# created_at, so their order is their ids'), text over two lines, a damaged row, a cut last row.
MORE_ROWS = (
    '2001;Graffiti;Closed;2023-04-01 10:00:00;2023-04-01 10:00:00;DPW Ops Queue;34.0115;-118.4917;1 Main St;"Two\n'
    'lines";90401\n'
    "2002;Pothole;In Progress;04/02/2023 09:15:00 AM;;;34.0030;-118.4800;;;\n"
    "2003;Graffiti;Open;2023-04-03;;;;;a;stray;field;90401\n"
    "2004;Streetlights;Resolved;2023-04-04;2023-04-05;PUC - Electric;;;;;\n"
    '2005;Graffiti;Open;2023-04-05;;;;;"1685 Ma'
)


def export(tmp_path: Path) -> Path:
    path = tmp_path / "export.csv"
    path.write_text(OTHER_FILE.read_text() + MORE_ROWS)
    return path


def run(path: Path, *, staging: bool, jurisdiction: Any) -> ImportReport:
    mapping = load_mapping(OTHER_MAPPING)
    rows = CsvExport(path, mapping.delimiter).rows()
    return service_requests_import(jurisdiction=jurisdiction, rows=rows, mapping=mapping, staging=staging, batch_size=4)


def what_was_written(source: str = "other-city-311") -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every imported request and event as a reader sees them: all but keys and the secret token."""
    skip = {"id", "tracking_token"}
    fields = [field.attname for field in ServiceRequest._meta.concrete_fields if field.attname not in skip]
    requests = list(ServiceRequest.objects.exclude(import_source="").order_by("public_id").values_list(*fields))
    event_fields = [
        field.attname for field in RequestEvent._meta.concrete_fields if field.attname not in {"id", "request_id"}
    ]
    events = list(
        RequestEvent.objects.filter(request__import_source=source)
        .order_by("request__public_id", "created_at", "id")
        .values_list("request__public_id", *event_fields)
    )
    return requests, events


def summary(report: ImportReport) -> tuple[Any, ...]:
    return (
        report.imported,
        report.unchanged,
        report.skipped,
        dict(report.skip_reasons),
        dict(report.notes),
        report.lines,
        report.located,
        report.outside,
    )


@postgres_only
def test_copy_and_inserts_write_the_same_requests_events_and_reasons(santa_monica, service, tmp_path):
    path = export(tmp_path)
    # SF-1013 is already the public id of a request from elsewhere.
    holding_public_id(service("potholes"), "SF-1013")

    by_inserts = run(path, staging=False, jurisdiction=santa_monica)
    written_by_inserts = what_was_written()
    ServiceRequest.objects.filter(import_source="other-city-311").delete()
    by_copy = run(path, staging=True, jurisdiction=santa_monica)

    assert summary(by_copy) == summary(by_inserts)
    assert (by_copy.imported, by_copy.skipped) == (10, 9)
    assert by_copy.lines == {
        "wrong number of fields for the header (a damaged row)": [19],
        "the file ends inside this row (cut short?)": [21],
    }
    assert what_was_written() == written_by_inserts
    # The tie: arrival first, then the closing, as the timeline reads.
    tied = ServiceRequest.objects.get(public_id="SF-2001")
    assert list(tied.events.values_list("kind", flat=True)) == ["imported", "transition"]
    assert tied.description == "Two\nlines"

    # Again, either way: every row already present, nothing written twice.
    for staging in (True, False):
        again = run(path, staging=staging, jurisdiction=santa_monica)
        assert (again.imported, again.unchanged, again.skipped) == (0, 10, 9)
    assert what_was_written() == written_by_inserts


def big_city_export(tmp_path: Path, count: int) -> tuple[Path, ImportMapping]:
    """The import bench's file (every status, channel and deadline a big city has) with bad rows mixed in."""
    from bench.import_rows import HEADER, MAPPING, export_rows
    from cityhall.demo.catalogue import DATA

    mapping_path = tmp_path / "mapping.toml"
    mapping_path.write_text(MAPPING)
    rows = list(export_rows(count, DATA / "santa_monica_go_requests_2005_2017.csv"))
    column = {name: index for index, name in enumerate(HEADER)}
    spoiled = [
        {"Complaint Type": "Cable Car Tracks"},
        {"Created Date": "02/30/2020 10:00:00 AM"},
        {"Latitude": "134.5", "Longitude": "-118.49"},
        {"Incident Address": "1 Main St " * 31},
        {"Status": "Lost"},
        {"Status": "Closed", "Closed Date": "01/01/2000 10:00:00 AM"},  # before it was requested
    ]
    for number, values in enumerate(spoiled):
        for name, value in values.items():
            rows[10 + 7 * number][column[name]] = value
    rows.append(list(rows[3]))  # the same id twice
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path, load_mapping(mapping_path)


@postgres_only
def test_a_big_citys_file_with_bad_rows_is_the_same_either_way_and_never_imported_twice(santa_monica, tmp_path):
    path, mapping = big_city_export(tmp_path, 600)

    def run_big(*, staging: bool) -> ImportReport:
        rows = CsvExport(path, mapping.delimiter).rows()
        return service_requests_import(
            jurisdiction=santa_monica, rows=rows, mapping=mapping, staging=staging, batch_size=100
        )

    by_inserts = run_big(staging=False)
    written_by_inserts = what_was_written("bench-import")
    ServiceRequest.objects.filter(import_source="bench-import").delete()
    by_copy = run_big(staging=True)

    assert summary(by_copy) == summary(by_inserts)
    assert set(by_copy.skip_reasons) >= {
        "unknown service 'Cable Car Tracks'",
        "bad date in 'Created Date': '02/30/2020 10:00:00 AM'",
        "coordinates out of range: 134.5, -118.49",
        "'Incident Address': The address is longer than 300 characters.",
        "unknown status 'Lost'",
        "closed date before requested date",
        "duplicate id in the file (the first row was used)",
    }, by_copy.skip_reasons
    assert by_copy.imported == 601 - by_copy.skipped
    assert what_was_written("bench-import") == written_by_inserts
    written = ServiceRequest.objects.filter(import_source="bench-import")
    assert written.exclude(expected_at=None).count() > 500  # deadlines from the business calendar
    assert {"closed", "assigned", "on_hold", "in_progress", "routed"} <= set(written.values_list("status", flat=True))

    for staging in (True, False):
        again = run_big(staging=staging)
        assert (again.imported, again.unchanged, again.skipped) == (0, by_copy.imported, by_copy.skipped)
    assert what_was_written("bench-import") == written_by_inserts


@pytest.mark.skipif(connection.vendor == "postgresql", reason="COPY is PostgreSQL's")
def test_copy_is_refused_where_the_database_has_none(santa_monica, tmp_path):
    with pytest.raises(ValueError, match="needs PostgreSQL"):
        run(export(tmp_path), staging=True, jurisdiction=santa_monica)
    assert not ServiceRequest.objects.exists()


FORMATS = [
    "%m/%d/%Y %I:%M:%S %p",
    "%Y-%m-%d %H:%M:%S",
    "%m/%d/%Y",
    "%d.%m.%Y %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%I:%M %p %Y/%m/%d",
]


def strptime_or_none(reader: Any, text: str) -> datetime | str:
    try:
        return reader(text)  # type: ignore[no-any-return]
    except ValueError:
        return "refused"


@settings(max_examples=400, deadline=None)
@given(
    fmt=st.sampled_from(FORMATS),
    text=st.one_of(
        st.text(alphabet="0123456789/:-. TAPMapm", max_size=24),
        st.builds(
            lambda when, fmt: when.strftime(fmt),
            st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31)),
            st.sampled_from(FORMATS),
        ),
    ),
)
def test_dates_read_as_strptime_reads_them(fmt, text):
    def strptime(value: str) -> datetime:
        return datetime.strptime(value, fmt)

    assert strptime_or_none(strptime_reader(fmt), text) == strptime_or_none(strptime, text)


@pytest.mark.parametrize(
    "text",
    ["3/1/2024 9:05:00 PM", "12/31/2024 12:00:00 AM", "12/31/2024 12:00:00 PM", "00/01/2024 01:00:00 AM",
     "02/30/2024 01:00:00 AM", "01/01/2024 13:00:00 PM", "01/01/2024 00:00:00 AM", "01/01/2024  01:00:00 AM",
     "01/01/2024 01:00:00 pm", "01/01/2024 01:00:00 Pm", "01/01/2024 01:00:60 AM", "1/1/2024 1:1:1 AM"],
)  # fmt: skip
def test_the_edges_of_a_twelve_hour_clock_read_as_strptime_reads_them(text):
    fmt = "%m/%d/%Y %I:%M:%S %p"
    assert strptime_or_none(strptime_reader(fmt), text) == strptime_or_none(
        lambda value: datetime.strptime(value, fmt),
        text,
    )


def test_a_batch_of_points_is_located_as_each_point_is(santa_monica):
    zones = list(Zone.objects.filter(jurisdiction=santa_monica))
    # Corners of zones and of the city (on the line: inside), points in and out, far away.
    corners = [(lat, lng) for zone in zones for lng, lat in shapely.get_coordinates(parse_area(zone.geometry))[::37]]
    inner = [(34.0030, -118.4800), (34.0115, -118.4917), (34.0450, -118.4950), (34.0194, -118.4912)]
    points = [*corners, *inner, (34.0522, -118.2437), (40.7, -74.0), (33.985, -118.4695)]
    located = PointsLocator(santa_monica)(points)
    assert located == [
        (jurisdiction_contains(santa_monica, lat, lng), zone_for_point(santa_monica, lat, lng)
         if jurisdiction_contains(santa_monica, lat, lng) else None)
        for lat, lng in points
    ]  # fmt: skip
    assert any(inside for inside, _ in located) and any(not inside for inside, _ in located)
    assert any(zone is not None for _, zone in located)


def test_bench_mapping_reads_its_own_export(santa_monica, tmp_path):
    """The import bench's file and mapping fit together (the bench itself asserts nothing)."""
    from bench.import_rows import MAPPING, write_export
    from cityhall.demo.catalogue import DATA

    mapping_path = tmp_path / "mapping.toml"
    mapping_path.write_text(MAPPING)
    path = tmp_path / "export.csv"
    write_export(path, 300, DATA / "santa_monica_go_requests_2005_2017.csv")
    mapping = load_mapping(mapping_path)
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    report = service_requests_import(jurisdiction=santa_monica, rows=rows, mapping=mapping)
    assert report.imported > 290, report.skip_reasons
    assert report.located > 100
