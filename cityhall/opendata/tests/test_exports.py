"""The city's repository: internal exports by role (every role tried, refusals change nothing), logged;
and `cityhall export` for the warehouse."""

from __future__ import annotations

import csv
import io

import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

from cityhall.opendata.models import DataExport

pytestmark = pytest.mark.django_db

EVERYONE = ["anonymous", "resident", "agent", "staff", "crew", "supervisor", "admin", "other_staff"]
STAFF = {"agent", "staff", "crew", "supervisor", "admin", "other_staff"}
# Written out by hand: a change to access.py that widens or narrows it fails here.
MAY_EXPORT_INTERNAL = {"supervisor", "admin"}


@pytest.fixture
def requests(reported):
    """A public request and a private one, by one reporter."""
    return reported[0], reported[2]


def _sign_in(client, people, who):
    if who != "anonymous":
        client.force_login(people[who])


@pytest.mark.parametrize("who", EVERYONE)
def test_data_page_by_role(client, people, who):
    _sign_in(client, people, who)

    response = client.get("/staff/data/")

    assert response.status_code == (200 if who in STAFF else 302 if who == "anonymous" else 404)
    if response.status_code == 200:
        page = response.content.decode()
        assert "/data/r311-sreq/download.parquet" in page
        assert ('action="/staff/data/r311-sreq/export"' in page) == (who in MAY_EXPORT_INTERNAL)


@pytest.mark.parametrize("who", EVERYONE)
def test_internal_export_by_role_is_logged_and_refusals_change_nothing(client, people, requests, who):
    public, private = requests
    _sign_in(client, people, who)

    response = client.post("/staff/data/r311-sreq/export", {"format": "csv"})

    if who not in MAY_EXPORT_INTERNAL:
        assert response.status_code in (302, 403, 404)
        assert not DataExport.objects.exists()
        return
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    table = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_id = {row["service_request_id"]: row for row in table}
    assert by_id[public.public_id]["reporter_email"] == "rosa.reporter@example.org"
    assert by_id[private.public_id]["private"] == "true"
    assert "tracking_token" not in table[0]
    log = DataExport.objects.get()
    assert (log.user, log.who, log.via, log.dataset_id, log.file_format) == (
        people[who], people[who].email, "staff", "r311-sreq", "csv",
    )  # fmt: skip
    assert log.rows == len(table) and log.finished_at is not None


def test_an_unknown_export_format_or_dataset_is_refused_and_not_logged(client, people):
    client.force_login(people["admin"])

    assert client.post("/staff/data/r311-sreq/export", {"format": "xlsx"}).status_code == 400
    assert client.post("/staff/data/nope-nope/export", {"format": "csv"}).status_code == 404
    assert client.get("/staff/data/r311-sreq/export").status_code == 405
    assert not DataExport.objects.exists()


def test_updates_export_holds_internal_notes_and_the_catalogue_export_is_the_public_file(client, people, reported):
    client.force_login(people["supervisor"])

    updates = client.post("/staff/data/r311-updt/export", {"format": "parquet"})
    services = client.post("/staff/data/r311-svcs/export", {"format": "csv"})

    table = pq.read_table(io.BytesIO(b"".join(updates.streaming_content)))
    assert "internal_note" in table.column_names
    assert len(set(table.column("service_request_id").to_pylist())) == 3
    public = b"".join(client.get("/data/r311-svcs/download.csv").streaming_content)
    assert b"".join(services.streaming_content) == public


def test_export_command_writes_public_parquet_and_logged_internal_csv(tmp_path, reported):
    public, sensitive, _private = reported
    public_file, internal_file = tmp_path / "requests.parquet", tmp_path / "requests.csv"

    call_command("export", "service-requests", "--format", "parquet", "--out", str(public_file), stdout=io.StringIO())
    call_command(
        "export", "r311-sreq", "--format", "csv", "--out", str(internal_file), "--internal", stdout=io.StringIO()
    )

    frame = pq.read_table(public_file)
    assert sorted(frame.column("service_request_id").to_pylist()) == sorted([public.public_id, sensitive.public_id])
    assert "reporter_email" not in frame.column_names
    rows = list(csv.DictReader(internal_file.open()))
    assert {row["service_request_id"] for row in rows} == {request.public_id for request in reported}
    log = DataExport.objects.get()
    assert (log.via, log.rows, log.user) == ("command", 3, None)
    assert "command line" in log.who


def test_export_command_names_the_datasets_when_one_is_unknown(tmp_path):
    with pytest.raises(CommandError, match="r311-sreq"):
        call_command("export", "potholes", "--out", str(tmp_path / "x.parquet"))
    assert not DataExport.objects.exists()


def test_the_admin_lists_the_export_log(client, people, reported):
    client.force_login(people["admin"])
    client.post("/staff/data/r311-sreq/export", {"format": "parquet"}).getvalue()

    page = client.get("/admin/opendata/dataexport/").content.decode()

    assert "admin@example.org" in page and "r311-sreq" in page
