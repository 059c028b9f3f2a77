"""Importing request history from CSV: the real Santa Monica GO file, another city's export, bad mappings."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from cityhall.catalogue.models import Jurisdiction
from cityhall.demo.catalogue import DATA
from cityhall.geo.lookup import zone_for_point, zone_locator
from cityhall.requests.models import Channel, RequestEvent, ServiceRequest
from cityhall.requests.services import ImportReport, imports, load_mapping, service_requests_import
from cityhall.requests.tests.builders import holding_public_id

GO_FILE = DATA / "santa_monica_go_requests_2005_2017.csv"
GO_MAPPING = DATA / "santa_monica_mapping.toml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
OTHER_FILE = FIXTURES / "other_city_311.csv"
OTHER_MAPPING = FIXTURES / "other_city_mapping.toml"


def run(csv_path: Path, mapping: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("import-requests", str(csv_path), "--mapping", str(mapping), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def go_sample(tmp_path: Path, rows: int = 1000) -> tuple[Path, list[dict[str, str]]]:
    """The first rows of the real GO file, as a CSV of their own."""
    with GO_FILE.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        sample = list(itertools.islice(reader, rows))
        header = reader.fieldnames
    path = tmp_path / "go_sample.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header or [])
        writer.writeheader()
        writer.writerows(sample)
    return path, sample


def test_santa_monica_sample_imports_through_the_command_and_again_changes_nothing(santa_monica, tmp_path):
    path, sample = go_sample(tmp_path)
    located = sum(1 for row in sample if row["Latitude"])

    out = run(path, GO_MAPPING)

    assert out.startswith("Imported 1000 requests, 0 already present, 0 skipped in ")
    assert "location outside the city: coordinates dropped" in out
    assert ServiceRequest.objects.filter(import_source="santa-monica-go").count() == 1000
    assert RequestEvent.objects.count() == 2000  # every GO request is closed: imported + closed
    kept_points = ServiceRequest.objects.exclude(lat=None).count()
    assert 0.9 * located < kept_points < located  # a few GO pins are outside the city and were dropped

    # Request 1897093: "Graffiti - public property,Public Works ,Closed,09/20/2014,09/22/2014,...,33.996632,-118.481832"
    request = ServiceRequest.objects.select_related("service", "department", "zone").get(public_id="1897093")
    assert request.external_id == "1897093"
    assert request.channel == Channel.IMPORT
    assert request.service.code == "graffiti-public-property"
    assert request.department is not None and request.department.slug == "public-works"
    assert (request.status, request.resolution) == ("closed", "fixed")
    # Date-only values are noon in Los Angeles (PDT in September): the date reads the same locally.
    assert request.requested_at == datetime(2014, 9, 20, 19, 0, tzinfo=UTC)
    assert request.closed_at == request.resolved_at == request.updated_at == datetime(2014, 9, 22, 19, 0, tzinfo=UTC)
    assert request.expected_at is not None and request.expected_at > request.requested_at
    assert (request.lat, request.lng) == (33.996632, -118.481832)
    assert request.cell is not None
    assert request.zone is not None and request.zone.name == "Ocean Park"
    assert (request.reporter_id, request.reporter_email, request.reporter_name) == (None, "", "")
    assert len(request.tracking_token) >= 32
    events = list(request.events.values_list("kind", "action", "from_status", "to_status", "created_at", "data"))
    assert events == [
        (
            "imported",
            "",
            "",
            "submitted",
            request.requested_at,
            {"source": "santa-monica-go", "external_id": "1897093"},
        ),
        ("transition", "close", "submitted", "closed", request.closed_at, {"resolution": "fixed"}),
    ]
    # A pin outside the city: the request stays, its coordinates do not.
    outside = ServiceRequest.objects.get(public_id="2001357")
    assert (outside.lat, outside.lng, outside.cell, outside.zone_id) == (None, None, None, None)

    again = run(path, GO_MAPPING)

    assert again.startswith("Imported 0 requests, 1000 already present, 0 skipped in ")
    assert ServiceRequest.objects.count() == 1000
    assert RequestEvent.objects.count() == 2000


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_go_topic_and_department_is_known(santa_monica, language):
    """The demo imports all 61,100 rows: no topic may be unknown (checked without importing them all).

    Topics are matched by the catalogue's English names even when Spanish is active (a run from a
    Spanish page or shell), where `service.name` reads the Spanish one."""
    with GO_FILE.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    topics = {row["Topic"] for row in rows}
    with translation.override(language):
        report = service_requests_import(
            jurisdiction=santa_monica,
            rows=[next(row for row in rows if row["Topic"] == topic) for topic in sorted(topics)],
            mapping=load_mapping(GO_MAPPING),
        )
    assert (report.imported, report.skipped) == (len(topics), 0), report.skip_reasons


def test_another_citys_export(santa_monica, service):
    mapping = load_mapping(OTHER_MAPPING)
    # SF-1013 is already the public id of a request from elsewhere.
    other = holding_public_id(service("potholes"), "SF-1013")
    progress: list[int] = []
    with OTHER_FILE.open(encoding="utf-8", newline="") as handle:
        report = service_requests_import(
            jurisdiction=santa_monica,
            rows=csv.DictReader(handle, delimiter=mapping.delimiter),
            mapping=mapping,
            on_progress=progress.append,
            batch_size=4,  # several batches, and a skipped row among them
        )

    assert (report.imported, report.unchanged, report.skipped) == (7, 0, 7)
    assert progress == [4, 4, 4, 2]
    assert report.skip_reasons == {
        "bad date in 'opened': '13/45/2020'": 1,
        "bad coordinate in 'latitude': 'abc'": 1,
        "unknown service 'Cable Car Tracks'": 1,
        "unknown status 'Pending'": 1,
        "missing id in 'case_id'": 1,
        "closed date before requested date": 1,
        "public id taken": 1,
    }
    assert report.notes == {
        "location outside the city: coordinates dropped": 1,
        "unknown department 'Recreation and Park': the service's default used": 1,
    }
    imported = {
        r.public_id: r
        for r in ServiceRequest.objects.filter(import_source="other-city-311").select_related(
            "department", "zone", "service"
        )
    }
    assert sorted(imported) == [f"SF-100{n}" for n in range(1, 8)]
    # Nothing at all of a skipped row: no request, no event.
    assert (
        not ServiceRequest.objects.filter(external_id__in=["1008", "1009", "1010", "1011", "1012", "1013", ""])
        .exclude(pk=other.pk)
        .exists()
    )
    # Each has its arrival; each that got past "submitted" (all but SF-1007) a second event.
    assert RequestEvent.objects.filter(request__import_source="other-city-311").count() == 7 + 6

    def where(public_id: str) -> tuple[str, str, str | None, str | None]:
        r = imported[public_id]
        return r.status, r.resolution, r.department.slug if r.department else None, r.zone.name if r.zone else None

    assert where("SF-1001") == ("routed", "", "public-works", "Ocean Park")  # "Open" with a department
    assert where("SF-1002") == ("in_progress", "", "public-works", "Pico")
    assert where("SF-1003") == ("closed", "duplicate", "public-works", None)
    assert where("SF-1004") == (
        "resolved",
        "fixed",
        "public-works",
        None,
    )  # "311 Supervisor Queue": the service's default
    assert where("SF-1005") == ("routed", "", "public-works", None)  # matched by our code; unknown agency
    assert where("SF-1007") == ("submitted", "", None, None)  # no default department: the 311 triage queue
    assert imported["SF-1005"].service.code == "potholes"
    assert imported["SF-1003"].service.code == "streetlights"  # no [services] entry: matched by our name

    first = imported["SF-1001"]
    assert first.requested_at == first.updated_at == datetime(2023, 3, 1, 17, 15, tzinfo=UTC)
    assert (first.address, first.zipcode, first.description) == ("2600 Main St", "90405", "Tag on the wall; red paint")
    assert (first.resolved_at, first.closed_at) == (None, None)
    assert list(first.events.values_list("kind", "to_status")) == [("imported", "submitted"), ("transition", "routed")]
    # A naive timestamp is local time in the mapping's time zone (PDT in May).
    assert imported["SF-1002"].requested_at == datetime(2012, 5, 23, 6, 57, 23, tzinfo=UTC)
    # A date alone is noon local time (PST in March).
    assert imported["SF-1005"].requested_at == datetime(2023, 3, 5, 20, 0, tzinfo=UTC)
    resolved = imported["SF-1004"]
    assert resolved.requested_at == datetime(2012, 5, 22, 15, 0, tzinfo=UTC)
    assert resolved.resolved_at == resolved.updated_at == datetime(2012, 5, 25, 23, 30, tzinfo=UTC)
    assert resolved.closed_at is None
    assert list(resolved.events.values_list("kind", "action", "to_status", "data")) == [
        ("imported", "", "submitted", {"source": "other-city-311", "external_id": "1004"}),
        ("transition", "resolve", "resolved", {"resolution": "fixed"}),
    ]
    duplicate = imported["SF-1003"]
    assert duplicate.closed_at == duplicate.resolved_at == datetime(2023, 3, 3, 8, 30, tzinfo=UTC)
    outside = imported["SF-1006"]
    assert (outside.lat, outside.lng, outside.zone_id, outside.address) == (
        None,
        None,
        None,
        "1 Dr Carlton B Goodlett Pl",
    )


def test_another_citys_export_through_the_command(santa_monica):
    out = run(OTHER_FILE, OTHER_MAPPING)
    assert out.splitlines()[0].startswith("Imported 8 requests, 0 already present, 6 skipped in ")
    assert "  skipped      1: unknown status 'Pending'" in out
    assert "  note         1: location outside the city: coordinates dropped" in out
    assert run(OTHER_FILE, OTHER_MAPPING).startswith("Imported 0 requests, 8 already present, 6 skipped in ")
    assert ServiceRequest.objects.count() == 8


def test_a_crash_loses_only_its_batch_and_a_rerun_finishes(santa_monica, monkeypatch):
    mapping = load_mapping(OTHER_MAPPING)

    def rows() -> list[dict[str, str]]:
        with OTHER_FILE.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle, delimiter=";"))

    real_note = imports._arrival_note
    written: list[list[str]] = []

    def crash_in_the_second_batch(notes: list[str]) -> str:
        # Called for each request inside its batch's transaction (after the requests are written,
        # on the way in by INSERTs); the fifth is the second batch's first.
        written.append(notes)
        if len(written) == 5:
            raise RuntimeError("power cut")
        return real_note(notes)

    monkeypatch.setattr(imports, "_arrival_note", crash_in_the_second_batch)
    with pytest.raises(RuntimeError):
        service_requests_import(jurisdiction=santa_monica, rows=rows(), mapping=mapping, batch_size=4)
    # The first batch (1001-1004) is in, whole; nothing of the second (1005-1008), not even its requests.
    assert sorted(ServiceRequest.objects.values_list("external_id", flat=True)) == ["1001", "1002", "1003", "1004"]
    assert RequestEvent.objects.count() == 4 + 4  # each arrival, and each one's status

    monkeypatch.undo()
    report = service_requests_import(jurisdiction=santa_monica, rows=rows(), mapping=mapping, batch_size=4)
    assert (report.imported, report.unchanged, report.skipped) == (4, 4, 6)
    assert ServiceRequest.objects.count() == 8


def test_a_row_twice_in_the_file_is_imported_once(santa_monica):
    row = {"case_id": "7", "category": "Graffiti", "state": "Open", "opened": "2023-03-01", "agency": ""}
    report = service_requests_import(
        jurisdiction=santa_monica, rows=[row, row | {"state": "Resolved"}], mapping=load_mapping(OTHER_MAPPING)
    )
    assert (report.imported, report.skipped) == (1, 1)
    assert ServiceRequest.objects.get(external_id="7").status == "routed"  # the first row (Open) won


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("street_address", "1 Main St " * 31, "'street_address': The address is longer than 300 characters."),
        ("zip", "9" * 17, "'zip': The zipcode is longer than 16 characters."),
        ("details", "x" * 4001, "'details': The description is longer than 4000 characters."),
    ],
)
def test_a_row_with_a_field_out_of_bounds_is_skipped_naming_the_column(santa_monica, column, value, reason):
    row = {"case_id": "8", "category": "Graffiti", "state": "Open", "opened": "2023-03-01", "agency": ""}
    fits = row | {"case_id": "9", "street_address": "1685 Main St", "zip": "90401", "details": "x" * 4000}
    report = service_requests_import(
        jurisdiction=santa_monica, rows=[row | {column: value}, fits], mapping=load_mapping(OTHER_MAPPING)
    )
    assert (report.imported, report.skipped, dict(report.skip_reasons)) == (1, 1, {reason: 1})
    assert list(ServiceRequest.objects.values_list("external_id", flat=True)) == ["9"]


MINIMAL = """
source = "x"
date_formats = ["%Y"]
timezone = "UTC"
[columns]
id = "a"
service = "b"
status = "c"
requested = "d"
[statuses]
Open = { status = "submitted" }
"""


@pytest.mark.parametrize(
    ("mapping_text", "message"),
    [
        ("source = [", "is not valid TOML"),
        (MINIMAL.split("[columns]")[0] + '[statuses]\nOpen = { status = "submitted" }', "columns: expected a table"),
        (MINIMAL.replace('requested = "d"', ""), "columns: name the source column for requested"),
        (MINIMAL.replace('"UTC"', '"Mars/Base"'), "'Mars/Base' is not a time zone"),
        (
            MINIMAL.replace('Open = { status = "submitted" }', 'Done = { status = "closed" }'),
            "'Done' is closed, so it needs a resolution",
        ),
        (MINIMAL.replace('"submitted"', '"pending"'), "has status 'pending'; expected one of submitted"),
        (
            MINIMAL.replace('"submitted" }', '"submitted", resolution = "fixed" }'),
            "an open status, so it takes no resolution",
        ),
        (MINIMAL.replace('["%Y"]', "[]"), "date_formats: give a list"),
        ("colums = 1\n" + MINIMAL, "unknown setting(s) colums"),
        ("fallback_service = 3\n" + MINIMAL, "fallback_service: give our service code"),
        (MINIMAL + '[channels]\nTwitter = "tweet"\n', "channels: 'Twitter' must map to one of web, phone"),
    ],
)
def test_a_bad_mapping_is_refused_with_a_clear_message(tmp_path, mapping_text, message):
    path = tmp_path / "mapping.toml"
    path.write_text(mapping_text)
    with pytest.raises(ValueError) as caught:
        load_mapping(path)
    assert message in str(caught.value)


def test_the_command_refuses_a_bad_mapping_or_file_and_writes_nothing(santa_monica, tmp_path):
    bad_code = tmp_path / "bad_code.toml"
    bad_code.write_text(OTHER_MAPPING.read_text().replace('"potholes"', '"pot-holes"'))
    missing_column = tmp_path / "missing_column.toml"
    missing_column.write_text(
        OTHER_MAPPING.read_text().replace('zipcode = "zip"', 'zipcode = "postcode"').replace('"details"', '"notes"')
    )
    unreadable = tmp_path / "none.toml"

    with pytest.raises(CommandError, match="does not have: pot-holes"):
        run(OTHER_FILE, bad_code)
    with pytest.raises(CommandError, match=r"has no column 'notes', 'postcode' named in .*Its columns are: 'case_id'"):
        run(OTHER_FILE, missing_column)
    with pytest.raises(CommandError, match="Cannot use the mapping"):
        run(OTHER_FILE, unreadable)
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "missing.csv", OTHER_MAPPING)
    assert not ServiceRequest.objects.exists()
    assert not RequestEvent.objects.exists()


def test_the_command_needs_a_jurisdiction_when_there_are_several(santa_monica):
    Jurisdiction.objects.create(name="Elsewhere", jurisdiction_id="elsewhere.example", boundary=santa_monica.boundary)
    with pytest.raises(CommandError, match="several jurisdictions; choose one with --jurisdiction"):
        run(OTHER_FILE, OTHER_MAPPING)
    with pytest.raises(CommandError, match="No jurisdiction 'nowhere'"):
        run(OTHER_FILE, OTHER_MAPPING, "--jurisdiction", "nowhere")
    assert run(OTHER_FILE, OTHER_MAPPING, "--jurisdiction", "smgov.net").startswith("Imported 8 requests")


def test_zone_locator_agrees_with_zone_for_point(santa_monica):
    locate = zone_locator(santa_monica)
    points = [(34.0030, -118.4800), (34.0115, -118.4917), (34.0450, -118.4950), (34.0522, -118.2437), (91.0, 0.0)]
    for lat, lng in points:
        assert locate(lat, lng) == zone_for_point(santa_monica, lat, lng)
    assert locate(34.0030, -118.4800).name == "Ocean Park"


def test_report_counts_rows():
    report = ImportReport(imported=2, unchanged=3)
    report.skip("missing id in 'id'")
    assert report.rows == 6
    assert report.skip_reasons == {"missing id in 'id'": 1}
