"""Open data bulk downloads: rows per second and peak memory of each format, at two sizes.

    ./tools/with-postgres .venv/bin/python -m bench.opendata_export            # 100,000 and 1,000,000 requests
    .venv/bin/python -m bench.opendata_export --sizes 61100                    # SQLite, the demo's size

Seeds the public projection (`opendata_publicrequest`) with believable rows — with COPY FROM
STDIN on PostgreSQL, batched inserts on SQLite; foreign keys are switched off for the load, as the
rows stand for requests the bench does not create — then writes the service-requests dataset as
CSV, GeoJSON and Parquet exactly as `/data/<id>/download.<fmt>` does (`downloads.pieces`, so CSV
on PostgreSQL is the COPY path), each in a forked child so its peak resident memory is its own;
then the same format of a SODA query's file (`download.<fmt>?$where=status='closed'`, the cursor path).
Peak memory staying flat from the smaller size to the larger is the constant-memory claim.
Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

COLUMNS = (
    "request_id", "service_request_id", "service_code", "service_name", "service_name_es", "category_group",
    "department", "status", "status_detail", "resolution", "status_notes", "requested_datetime",
    "updated_datetime", "expected_datetime", "closed_datetime", "address", "neighborhood", "latitude",
    "longitude", "location_generalized", "description", "channel", "support_count", "requested_date",
    "hours_to_close", "sla_met",
)  # fmt: skip
SERVICES = [
    ("potholes", "Potholes", "Baches", "Streets and Sidewalks", "Public Works"),
    ("graffiti-public-property", "Graffiti on public property", "Grafiti", "Graffiti", "Public Works"),
    ("loud-music", "Loud music", "Música alta", "Noise", "Police"),
    ("streetlight-out", "Streetlight out", "Farola apagada", "Streets and Sidewalks", "Public Works"),
]  # fmt: skip
NEIGHBORHOODS = ["Pico", "Ocean Park", "Downtown", "Wilshire Montana", "Mid-City", "North of Montana", ""]
START = datetime(2016, 1, 1, tzinfo=UTC)


def fake_rows(count: int, *, seed: int = 15) -> Iterator[tuple[Any, ...]]:
    """Requests over ten years, numbered in the order they came in, as a city's history is."""
    random_ = random.Random(seed)
    spacing = 10 * 365 * 86400 // count
    for number in range(1, count + 1):
        code, name, name_es, group, department = random_.choice(SERVICES)
        requested = START + timedelta(seconds=number * spacing + random_.randrange(max(spacing, 1)))
        closed = requested + timedelta(hours=random_.uniform(1, 400)) if random_.random() < 0.8 else None
        sensitive = code == "loud-music"
        yield (
            number, str(10_000_000 + number), code, name, name_es, group, department,
            "closed" if closed else "open", "closed" if closed else "in_progress", "fixed" if closed else "",
            "Crew scheduled." if closed else "", requested, closed or requested, requested + timedelta(hours=72),
            closed, "" if sensitive else f"{random_.randrange(100, 3000)} Main Street", random_.choice(NEIGHBORHOODS),
            round(34.0 + random_.uniform(0, 0.05), 6), round(-118.52 + random_.uniform(0, 0.06), 6), sensitive,
            "" if sensitive else "Deep hole in the right lane, near the crosswalk.", "web", random_.randrange(5),
            requested.date(), (closed - requested).total_seconds() / 3600 if closed else None,
            (closed - requested).total_seconds() < 72 * 3600 if closed else None,
        )  # fmt: skip


def seed_projection(count: int) -> None:
    from django.db import connection

    from cityhall.opendata.models import PublicRequest

    table = PublicRequest._meta.db_table
    PublicRequest.objects.all()._raw_delete(connection.alias)
    names = ", ".join(COLUMNS)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")  # no foreign key triggers for the load
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in fake_rows(count):
                    copy.write_row(row)
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute(f"ANALYZE {table}")
    else:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = OFF")
            marks = ", ".join(["%s"] * len(COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(fake_rows(count)))
            cursor.execute("PRAGMA foreign_keys = ON")


QUERY = {"$where": "status = 'closed'"}  # a query's file: about 80% of the rows, through the SODA path


def export_in_child(extension: str, *, query: bool = False) -> tuple[int, float, float, float]:
    """Write the dataset (or `QUERY`'s answer) in a forked child; returns (bytes, seconds, start RSS MiB,
    peak RSS MiB)."""
    from django.db import connection

    connection.close()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: export, report through the pipe, leave at once
        import resource

        from cityhall.opendata.downloads import download_format, pieces, query_pieces
        from cityhall.opendata.registry import dataset
        from cityhall.opendata.soda.run import stream

        start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        chosen, file_format = dataset("r311-sreq"), download_format(extension)
        written = query_pieces(stream(chosen, QUERY), file_format) if query else pieces(chosen, file_format)
        size = sum(len(piece) for piece in written)
        seconds = time.perf_counter() - started
        os.write(writer, f"{size} {seconds} {start_rss}".encode())
        os._exit(0)
    os.close(writer)
    report = os.read(reader, 200).decode().split()
    _, _, usage = os.wait4(pid, 0)
    os.close(reader)
    return int(report[0]), float(report[1]), int(report[2]) / 1024, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="", help="comma-separated request counts (default by database)")
    parser.add_argument("--formats", default="csv,geojson,parquet", help="comma-separated, of csv, geojson, parquet")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_DEBUG"] = "false"
    scratch = None
    if not os.environ.get("DATABASE_URL"):
        scratch = tempfile.TemporaryDirectory(prefix="cityhall-opendata-bench-")
        os.environ["CITYHALL_DATA_DIR"] = scratch.name
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cityhall.opendata.models import PublicRequest

    call_command("migrate", verbosity=0)
    default = "100000,1000000" if connection.vendor == "postgresql" else "61100"
    sizes = [int(size) for size in (args.sizes or default).split(",")]
    print(f"\nOpen data bulk export on {connection.vendor}: the service-requests dataset, as /data/<id>/download.<fmt>")
    print("| requests | file | size | seconds | rows/s | RSS at start | peak RSS |\n|---|---|---|---|---|---|---|")
    for count in sizes:
        seeding = time.perf_counter()
        seed_projection(count)
        print(f"(seeded {count:,} rows in {time.perf_counter() - seeding:.1f} s)", flush=True)
        answered = PublicRequest.objects.filter(status="closed").count()
        for extension in args.formats.split(","):
            for query in (False, True):
                size, seconds, start, peak = export_in_child(extension, query=query)
                rows = answered if query else count
                print(
                    f"| {count:,} | {extension}{' of ' + QUERY['$where'] if query else ''} | {size / 2**20:,.0f} MiB "
                    f"| {seconds:.1f} | {rows / seconds:,.0f} | {start:.0f} MiB | {peak:.0f} MiB |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
