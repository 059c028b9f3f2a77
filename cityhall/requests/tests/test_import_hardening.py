"""The importer on real exports' flaws (issue 18, findings 9-12): cut-short and damaged files,
bad bytes late in a file, NYC's placeholder closing dates, and another city's history."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cityhall.catalogue.models import Department, Jurisdiction, Service
from cityhall.requests.models import RequestEvent, ServiceRequest
from cityhall.requests.services import CsvExport, ImportStopped, load_mapping, service_requests_import

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NYC_FILE = FIXTURES / "nyc_style_311.csv"
NYC_MAPPING = FIXTURES / "nyc_style_mapping.toml"
NYC_BOUNDARY = FIXTURES / "nyc_boundary.geojson"
OTHER_MAPPING = FIXTURES / "other_city_mapping.toml"
OTHER_HEADER = "case_id;category;state;opened;closed;agency;latitude;longitude;street_address;details;zip\n"


def run(csv_path: Path, mapping: Path, *args: str) -> tuple[str, str]:
    """The command's stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import-requests", str(csv_path), "--mapping", str(mapping), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def nyc(santa_monica) -> Jurisdiction:
    """New York made the way docs/import.md says: the command, then services and a department (the admin's work)."""
    call_command(
        "jurisdiction",
        "create",
        "New York City",
        "--id=nyc.gov",
        "--timezone=America/New_York",
        f"--boundary={NYC_BOUNDARY}",
        stdout=io.StringIO(),
    )
    city = Jurisdiction.objects.get(jurisdiction_id="nyc.gov")
    dot = Department.objects.create(jurisdiction=city, name="Transportation", slug="dot")
    Service.objects.create(jurisdiction=city, code="street-condition", name="Street Condition", default_department=dot)
    Service.objects.create(jurisdiction=city, code="other", name="Something else")
    return city


def nyc_requests() -> dict[str, ServiceRequest]:
    found = ServiceRequest.objects.filter(import_source="nyc-311").select_related("service", "department")
    return {request.external_id: request for request in found}


# Finding 9: a truncated file's last row.


def test_a_file_cut_inside_its_last_row_skips_that_row_and_the_full_file_imports_it_later(nyc, tmp_path):
    full = NYC_FILE.read_bytes()
    cut = tmp_path / "cut.csv"
    cut.write_bytes(full[: full.index(b'"1745 SHORE') + len(b'"1745 S')])  # a download stopped mid-address

    out, _ = run(cut, NYC_MAPPING, "--jurisdiction=nyc.gov")

    assert out.startswith("Imported 6 requests, 0 already present, 1 skipped in ")
    assert "  skipped      1: the file ends inside this row (cut short?) (line 8)" in out
    assert "59000007" not in nyc_requests()
    assert not ServiceRequest.objects.filter(address="1745 S").exists()

    out, _ = run(NYC_FILE, NYC_MAPPING, "--jurisdiction=nyc.gov")

    assert out.startswith("Imported 1 requests, 6 already present, 0 skipped in ")
    assert nyc_requests()["59000007"].address == "1745 SHORE PARKWAY"


def test_a_last_field_cut_inside_its_quotes_is_caught_though_the_row_has_every_field(santa_monica, tmp_path):
    path = tmp_path / "cut.csv"
    path.write_text(
        OTHER_HEADER
        + '2001;Graffiti;Open;2023-03-01;;DPW Ops Queue;;;2600 Main St;"Red paint";90405\n'
        + '2002;Graffiti;Open;2023-03-02;;DPW Ops Queue;;;1685 Main St;Tag;"904'
    )
    out, _ = run(path, OTHER_MAPPING)
    assert out.startswith("Imported 1 requests, 0 already present, 1 skipped in ")
    assert "the file ends inside this row (cut short?) (line 3)" in out
    assert list(ServiceRequest.objects.values_list("external_id", flat=True)) == ["2001"]


def test_a_last_row_cut_between_fields_is_cut_short(santa_monica, tmp_path):
    path = tmp_path / "cut.csv"
    path.write_text(OTHER_HEADER + "6001;Graffiti;Open;2023-03-01;;;;;;;\n" + "6002;Graffiti;Open;2023-03-0")
    out, _ = run(path, OTHER_MAPPING)
    assert "  skipped      1: the file ends inside this row (cut short?) (line 3)" in out
    assert list(ServiceRequest.objects.values_list("external_id", flat=True)) == ["6001"]


def test_rows_with_the_wrong_number_of_fields_are_skipped_with_their_lines(santa_monica, tmp_path):
    path = tmp_path / "damaged.csv"
    path.write_text(
        OTHER_HEADER
        + "3001;Graffiti;Open;2023-03-01;;DPW Ops Queue;;;2600 Main St;Red paint;90405\n"
        + "3002;Graffiti;Open;2023-03-02;;DPW Ops Queue;;;1685 Main St;a;stray;field;90401\n"
        + "\n"  # a blank line is no row at all
        + '3003;Graffiti;Open;2023-03-03;;DPW Ops Queue;;;Pico Blvd;"Two\nlines";90405\n'
        + "3004;Graffiti;Open\n"
        + "3005;Graffiti;Open;2023-03-05;;DPW Ops Queue;;;Ocean Ave;Last;90401"  # no final line break: fine
    )
    out, _ = run(path, OTHER_MAPPING)
    assert out.startswith("Imported 3 requests, 0 already present, 2 skipped in ")
    assert "  skipped      2: wrong number of fields for the header (a damaged row) (line 3, 7)" in out
    assert sorted(ServiceRequest.objects.values_list("external_id", flat=True)) == ["3001", "3003", "3005"]
    assert ServiceRequest.objects.get(external_id="3003").description == "Two\nlines"


# Finding 10: a bad byte late in the file.


def many_rows(count: int) -> str:
    return "".join(
        f"{4000 + n};Graffiti;Open;2023-03-01;;DPW Ops Queue;;;{n} Main St;Tag;90405\n" for n in range(count)
    )


def test_a_bad_byte_late_in_the_file_refuses_it_whole_naming_the_line(santa_monica, tmp_path):
    path = tmp_path / "latin1.csv"
    # Past the command's first batch of 2,000 rows: before, that batch was in when the error came.
    path.write_bytes(
        (OTHER_HEADER + many_rows(2500)).encode() + "9999;Graffiti;Open;2023-03-01;;;;;Caf\xe9;;\n".encode("latin-1")
    )

    with pytest.raises(CommandError) as refused:
        run(path, OTHER_MAPPING)

    message = str(refused.value)
    assert "line 2502: byte 0xe9 at character 38 is not UTF-8" in message
    assert "position" not in message
    assert message.endswith("Nothing was imported.")
    assert not ServiceRequest.objects.exists()
    assert not RequestEvent.objects.exists()


def test_rows_that_stop_mid_import_report_the_line_and_what_is_already_written(santa_monica, tmp_path):
    """Reached only when the file changes after the command's check: the service says where it stopped."""
    path = tmp_path / "stops.csv"
    path.write_bytes((OTHER_HEADER + many_rows(5)).encode() + b"4005;Graffiti;Open;2023-03-01;;;;;Caf\xe9;;\n")

    with pytest.raises(ImportStopped) as stopped:
        service_requests_import(
            jurisdiction=santa_monica,
            rows=CsvExport(path, ";").rows(),
            mapping=load_mapping(OTHER_MAPPING),
            batch_size=2,
        )

    assert stopped.value.line == 7
    assert (stopped.value.report.imported, ServiceRequest.objects.count()) == (4, 4)  # two whole batches


# Finding 11: placeholder closing dates on open rows; finding 12: another city.


def test_another_citys_history_imports_into_its_own_jurisdiction(nyc):
    out, err = run(NYC_FILE, NYC_MAPPING, "--jurisdiction=nyc.gov")

    assert out.startswith("Imported 7 requests, 0 already present, 0 skipped in ")
    assert "WARNING" not in err
    imported = nyc_requests()
    assert all(request.lat is not None for request in imported.values())  # every point is in the city

    # NYC's 01/01/1900 on an Assigned row: an open request needs no closing date, so it is ignored.
    assigned = imported["59000002"]
    assert (assigned.status, assigned.closed_at, assigned.resolved_at) == ("assigned", None, None)
    assert "  note         1: closing date on an open status: ignored" in out
    # The workflow's rules are not silently broken: what the source lacks is said, in the report and on the request.
    assert "  note         1: assigned without an assignee: the source gives none" in out
    assert "  note         1: on_hold without a reason: the source gives none" in out
    assert "  note         1: referred without the agency it went to: the source gives none" in out
    arrival = assigned.events.get(kind="imported")
    assert "Import: assigned without an assignee: the source gives none." in arrival.internal_note
    assert "Import: closing date on an open status: ignored." in arrival.internal_note
    assert imported["59000003"].status == "on_hold"
    assert (imported["59000005"].status, imported["59000005"].resolution) == ("closed", "referred")

    # A category we have no service for goes to the mapping's fallback, and says which it was.
    noise = imported["59000004"]
    assert noise.service.code == "other"
    assert "  note         1: unknown service 'Noise - Residential': imported as 'other'" in out
    assert "unknown service 'Noise - Residential'" in noise.events.get(kind="imported").internal_note

    # Channel, resolution text and updated date come from their columns.
    assert {key: request.channel for key, request in imported.items()} == {
        "59000001": "phone",
        "59000002": "web",
        "59000003": "web",
        "59000004": "import",
        "59000005": "phone",
        "59000006": "web",
        "59000007": "phone",
    }
    assert "  note         1: unknown channel 'UNKNOWN': recorded as imported" in out
    fixed = imported["59000001"]
    assert fixed.status_note == "The Department of Transportation repaired the problem."
    assert fixed.events.get(action="close").public_note == fixed.status_note
    assert imported["59000002"].updated_at == datetime(2024, 3, 3, 13, 0, tzinfo=UTC)  # 8 AM in New York
    assert imported["59000004"].updated_at == imported["59000004"].requested_at  # no update date given


def test_most_points_outside_the_jurisdiction_warn_loudly(santa_monica, tmp_path):
    path = tmp_path / "san_francisco.csv"
    path.write_text(
        OTHER_HEADER
        + "5001;Graffiti;Open;2023-03-01;;;37.7793;-122.4193;;;\n"
        + "5002;Graffiti;Open;2023-03-01;;;37.7694;-122.4862;;;\n"
        + "5003;Graffiti;Open;2023-03-01;;;34.0115;-118.4917;;;\n"  # the one in Santa Monica
        + "5004;Graffiti;Open;2023-03-01;;;;;;;\n"  # not located: not counted either way
    )
    out, err = run(path, OTHER_MAPPING)
    assert out.startswith("Imported 4 requests")
    assert "WARNING: 2 of 3 located rows (67%) lie outside the City of Santa Monica's boundary" in err
    assert "cityhall jurisdiction create" in err


def test_a_few_points_outside_do_not_warn(santa_monica):
    _, err = run(FIXTURES / "other_city_311.csv", OTHER_MAPPING)
    assert "WARNING" not in err  # one of three located rows is in San Francisco


def test_a_mapping_naming_a_fallback_or_channel_we_lack_is_refused(santa_monica, tmp_path):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        OTHER_MAPPING.read_text().replace('id_prefix = "SF-"', 'id_prefix = "SF-"\nfallback_service = "nope"')
    )
    with pytest.raises(CommandError, match="does not have: nope"):
        run(FIXTURES / "other_city_311.csv", mapping)
    mapping.write_text(OTHER_MAPPING.read_text() + '\n[channels]\n"Twitter" = "tweet"\n')
    with pytest.raises(CommandError, match="channels: 'Twitter' must map to one of web, phone"):
        run(FIXTURES / "other_city_311.csv", mapping)
    assert not ServiceRequest.objects.exists()
