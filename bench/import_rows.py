"""`cityhall import-requests` speed: rows per second of each way in, on the same file, in one run.

    ./tools/with-postgres .venv/bin/python -m bench.import_rows                       # 200,000 and 1,000,000 rows
    ./tools/with-postgres .venv/bin/python -m bench.import_rows --sizes 1000000 --paths copy
    .venv/bin/python -m bench.import_rows --sizes 100000                              # SQLite: the row path only

Writes a CSV in the shape of a big city's export (NYC and DataSF: a timestamp to the second, a
placeholder 01/01/1900 closing date on open rows, channel, address, description, resolution text),
drawn from the real Santa Monica GO rows so topics, departments and pins (about half located, a few
outside the city) are the city's own; about 1 row in 1,000 has an unknown category or a bad date.
For each size and path, the request tables are emptied, then the file is read and imported as the
command does (`CsvExport.check`, then `service_requests_import`), and imported again (every row
already present). Paths: `rows` (batches of INSERTs, every database) and `copy` (COPY into a
staging table, PostgreSQL). Uses the configured database (DATABASE_URL, or SQLite in a scratch
directory). Prints a table; asserts nothing.

The machine may be shared, so beside the wall-clock rate each line gives the CPU seconds of this
Python process and, when the database server runs on this machine (as `tools/with-postgres`'s
does), of its backend serving the import, read from /proc; and the load average before and after.
CPU time hardly moves with other work on the machine, so `rows/CPU s` (rows over the two together)
compares the paths even when the wall clock cannot.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

MAPPING = """
source = "bench-import"
id_prefix = "BI-"
date_formats = ["%m/%d/%Y %I:%M:%S %p"]
timezone = "America/Los_Angeles"

[columns]
id = "Unique Key"
service = "Complaint Type"
status = "Status"
requested = "Created Date"
closed = "Closed Date"
department = "Agency"
address = "Incident Address"
zipcode = "Incident Zip"
lat = "Latitude"
long = "Longitude"
description = "Descriptor"
resolution_text = "Resolution Description"
updated = "Resolution Action Updated Date"
channel = "Open Data Channel Type"

[statuses]
"Open" = { status = "submitted" }
"Assigned" = { status = "assigned" }
"In Progress" = { status = "in_progress" }
"Pending" = { status = "on_hold" }
"Closed" = { status = "closed", resolution = "fixed" }
"Closed - Referred" = { status = "closed", resolution = "referred" }

[departments]
"import_no_login" = ""

[channels]
"ONLINE" = "web"
"MOBILE" = "web"
"""
HEADER = [
    *("Unique Key", "Created Date", "Closed Date", "Agency", "Complaint Type", "Descriptor", "Incident Address"),
    *("Incident Zip", "Status", "Resolution Description", "Resolution Action Updated Date"),
    *("Open Data Channel Type", "Latitude", "Longitude"),
]
# Open statuses, as a big city's export of one year holds them; the rest is closed.
STATUS_WEIGHTS = {"Closed": 80, "Closed - Referred": 2, "Open": 5, "Assigned": 5, "In Progress": 6, "Pending": 2}
CHANNELS = ["PHONE", "ONLINE", "MOBILE", "UNKNOWN"]
STREETS = ["Main St", "Ocean Ave", "Pico Blvd", "Wilshire Blvd", "Lincoln Blvd", "Montana Ave", "4th St"]
ZIPCODES = ["90401", "90402", "90403", "90404", "90405"]
WORDS = [
    *("pothole", "graffiti", "broken", "light", "blocked", "sidewalk"),
    *("noise", "overflowing", "bin", "tree", "branch", "leak"),
]
START = datetime(2011, 1, 1)
DATE = "%m/%d/%Y %I:%M:%S %p"


def export_rows(count: int, go_file: Path, *, seed: int = 19) -> Iterator[list[str]]:
    """`count` rows drawn from the real GO export, dated over 15 years in the order they came in."""
    with go_file.open(encoding="utf-8-sig", newline="") as handle:
        real = [
            (row["Topic"], row["Assigned Department"], row["Latitude"], row["Longitude"])
            for row in csv.DictReader(handle)
        ]
    rng = random.Random(seed)
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    spacing = 15 * 365 * 86400 / count
    for number in range(count):
        topic, department, lat, lng = rng.choice(real)
        requested = START + timedelta(seconds=int(number * spacing + rng.random() * spacing))
        status = rng.choices(statuses, weights)[0]
        closed = requested + timedelta(seconds=rng.randrange(3600, 30 * 86400))
        done = status.startswith("Closed")
        opened = requested.strftime(DATE)
        if rng.random() < 0.0005:
            opened = "13/45/2020 10:00:00 AM"  # a bad date
        if rng.random() < 0.0005:
            topic = "Cable Car Tracks"  # no such service here
        if lat:  # a pin a few metres from a real one: a big city's pins rarely repeat
            lat, lng = f"{float(lat) + rng.uniform(-2e-4, 2e-4):.6f}", f"{float(lng) + rng.uniform(-2e-4, 2e-4):.6f}"
        yield [
            str(40_000_000 + number),
            opened,
            closed.strftime(DATE) if done else ("01/01/1900 12:00:00 AM" if status == "Assigned" else ""),
            department,
            topic,
            " ".join(rng.sample(WORDS, 4)).capitalize(),
            f"{rng.randrange(100, 3200)} {rng.choice(STREETS)}".upper(),
            rng.choice(ZIPCODES),
            status,
            "The department resolved the problem." if done else "",
            (closed if done else requested + timedelta(hours=rng.randrange(1, 72))).strftime(DATE),
            rng.choice(CHANNELS),
            lat,
            lng,
        ]


def write_export(path: Path, count: int, go_file: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(export_rows(count, go_file))


def server_cpu_seconds(connection: Any) -> float | None:
    """CPU seconds used so far by this connection's database backend, if it runs on this machine (Linux)."""
    if connection.vendor != "postgresql":
        return None  # SQLite runs inside this process: its time is the process's
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None  # the server is elsewhere
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="", help="comma-separated row counts (default by database)")
    parser.add_argument("--paths", default="", help="comma-separated, of rows, copy (default: each the database has)")
    parser.add_argument("--batch", type=int, default=2000, help="rows per batch (per transaction)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_DEBUG"] = "false"
    scratch = tempfile.TemporaryDirectory(prefix="cityhall-import-bench-")
    if not os.environ.get("DATABASE_URL"):
        os.environ["CITYHALL_DATA_DIR"] = scratch.name
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cityhall.demo.catalogue import DATA, load_catalogue
    from cityhall.requests.models import RequestEvent, ServiceRequest
    from cityhall.requests.services import CsvExport, load_mapping, service_requests_import

    call_command("migrate", verbosity=0)
    jurisdiction = load_catalogue()
    postgres = connection.vendor == "postgresql"
    sizes = [int(size) for size in (args.sizes or ("200000,1000000" if postgres else "100000")).split(",")]
    paths = (args.paths or ("rows,copy" if postgres else "rows")).split(",")
    mapping_path = Path(scratch.name) / "mapping.toml"
    mapping_path.write_text(MAPPING)
    mapping = load_mapping(mapping_path)

    print(f"\nImport on {connection.vendor}: check + import of a big-city-shaped export, then the same file again")
    print(f"load average before: {', '.join(f'{load:.1f}' for load in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(
        "| rows | path | imported | skipped | seconds | rows/s | Python CPU s | server CPU s | rows/CPU s "
        "| again: seconds | again: rows/s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|", flush=True)
    for count in sizes:
        export_path = Path(scratch.name) / f"export_{count}.csv"
        write_export(export_path, count, DATA / "santa_monica_go_requests_2005_2017.csv")
        for path in paths:
            for model in (RequestEvent, ServiceRequest):
                model.objects.all()._raw_delete(connection.alias)
            timings = []
            for _ in range(2):
                connection.ensure_connection()
                server_before, cpu_before = server_cpu_seconds(connection), time.process_time()
                started = time.perf_counter()
                export = CsvExport(export_path, mapping.delimiter)
                export.check()
                report = service_requests_import(
                    jurisdiction=jurisdiction,
                    rows=export.rows(),
                    mapping=mapping,
                    staging=path == "copy",
                    batch_size=args.batch,
                )
                seconds = time.perf_counter() - started
                python_cpu, server_after = time.process_time() - cpu_before, server_cpu_seconds(connection)
                server = None if server_after is None or server_before is None else server_after - server_before
                timings.append((seconds, python_cpu, server, report))
            (first, python_cpu, server, report), (again, *_) = timings
            server_text = f"{server:.1f}" if server is not None else "n/a"
            print(
                f"| {count:,} | {path} | {report.imported:,} | {report.skipped:,} | {first:.1f} | {count / first:,.0f} "
                f"| {python_cpu:.1f} | {server_text} | {count / (python_cpu + (server or 0)):,.0f} "
                f"| {again:.1f} | {count / again:,.0f} |",
                flush=True,
            )
    print(f"load average after: {', '.join(f'{load:.1f}' for load in os.getloadavg())}")


if __name__ == "__main__":
    main()
