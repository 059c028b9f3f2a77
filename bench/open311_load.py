"""Open311 under load: 16 concurrent connections against the production serving configuration.

    .venv/bin/python -m bench.open311_load [--seconds 5] [--rounds 3] [--only radius]
    ./tools/with-postgres .venv/bin/python -m bench.open311_load [--requests 100000]

Without DATABASE_URL, as `make run`: a fresh copy of the SQLite demo database that `cityhall
prepare --demo` makes (61,100 requests of Santa Monica's history and 100 open ones; bench/demo_db.py).
With DATABASE_URL (PostgreSQL): seeds a database of realistic size (100,000 requests over Santa
Monica's services, statuses and neighbourhoods). Then starts gunicorn exactly as `cityhall serve`
does (2 WSGI workers, DEBUG off), and drives each endpoint with wrk (Debian package `wrk`,
installed if missing) at 16 connections.
Each run is paired with a run of a yardstick, a bare Django view under the same command line
(bench/bare_django.py), so the figures can be compared across machines. Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from cityhall.core.serving import DEFAULT_THREADS, DEFAULT_WORKERS, gunicorn_argv

from .demo_db import serve_demo_copy
from .ports import free_port, wait_until_answers

ROOT = Path(__file__).resolve().parent.parent


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)
    return shutil.which("wrk") or "wrk"


@dataclass(frozen=True)
class Prepared:
    request_id: str  # the newest request's
    key: str  # an API key for the POSTs
    updates_window: str  # start_date and end_date around the newest public updates


def prepare(count: int, *, demo: bool) -> Prepared:
    """The demo as `make run` prepares it, or a seeded database; then a key and what the reads ask for."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cityhall.catalogue.models import Jurisdiction
    from cityhall.demo.catalogue import load_catalogue
    from cityhall.requests.models import ServiceRequest

    from .seed import bench_key, seed_requests

    call_command("migrate", verbosity=0)
    jurisdiction = Jurisdiction.objects.filter(jurisdiction_id="smgov.net").first() or load_catalogue()
    have = ServiceRequest.objects.count()
    if not demo and have < count:
        started = time.perf_counter()
        seed_requests(jurisdiction, count - have)
        print(f"seeded {count - have:,} requests in {time.perf_counter() - started:.0f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    recent = ServiceRequest.objects.order_by("-requested_at").values_list("public_id", flat=True).first()
    return Prepared(str(recent), bench_key(), _updates_window())


def _updates_window(events: int = 50) -> str:
    """From the 50th newest public update to now: a page like the yardstick's, before the POSTs add theirs."""
    from urllib.parse import urlencode

    from cityhall.core import clock
    from cityhall.requests.models import RequestEvent

    newest = RequestEvent.objects.exclude(kind=RequestEvent.Kind.NOTE).order_by("-created_at")
    start = newest.values_list("created_at", flat=True)[events - 1 : events].first() or clock.now()
    moments = {"start_date": start.isoformat(timespec="seconds"), "end_date": clock.now().isoformat(timespec="seconds")}
    return urlencode(moments)


@dataclass(frozen=True)
class Run:
    rate: float
    p50_ms: float
    p99_ms: float
    errors: int


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", text).groups()  # type: ignore[union-attr]
    return float(number) * UNITS_MS[unit]


def run_wrk(wrk: str, url: str, seconds: int, connections: int, script: str | None = None) -> Run:
    command = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        command[1:1] = ["-s", script]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    # The latency distribution's lines start with the percentile ("     50%    4.20ms").
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1)  # type: ignore[union-attr]
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1)  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Run(rate, _ms(p50), _ms(p99), int(errors.group(1)) if errors else 0)


# The yardstick: what the issue calibrated its targets with (bench/bare_django.py).
YARDSTICK = "bench.bare_django:application"
YARDSTICK_REFERENCE_RATE = 900


@contextlib.contextmanager
def serving(args: argparse.Namespace, app: str, ready_path: str) -> Iterator[int]:
    """gunicorn with the production command line, serving `app`; yields its port once it answers."""
    port = free_port()
    # Only the access log goes nowhere, as a log shipper would take it.
    command = gunicorn_argv("127.0.0.1", port, workers=args.workers, threads=args.threads, app=app)
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        wait_until_answers(f"http://127.0.0.1:{port}{ready_path}")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


def post_body(key: str) -> str:
    """The bench's pothole report, as a form."""
    return "&".join(
        [
            f"api_key={key}",
            "service_code=potholes",
            "lat=34.0115",
            "long=-118.4917",
            "attribute%5BSIZE%5D=M",
            "description=Benchmark+pothole",
            "email=bench%40example.org",
        ]
    )


def post_script(key: str) -> str:
    body = post_body(key)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            'wrk.method = "POST"\n'
            f'wrk.body = "{body}"\n'
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        )
    return script.name


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=5, help="per run of wrk")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each endpoint; the table shows medians")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    parser.add_argument("--only", default="", help="run only the endpoints whose name contains this")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_DEBUG"] = "false"
    wrk = ensure_wrk()
    demo = "DATABASE_URL" not in os.environ
    copy = serve_demo_copy() if demo else None
    ready = prepare(args.requests, demo=demo)
    cases = [
        ("GET services.json", "/services.json", None),
        ("GET requests.json (first page, no filter)", "/requests.json?page_size=50", None),
        (
            "GET requests.json (first page, status + service)",
            "/requests.json?status=open&service_code=graffiti-public-property&page_size=50",
            None,
        ),
        ("GET requests/{id}.json", f"/requests/{ready.request_id}.json", None),
        ("GET requests.json bbox", "/requests.json?bbox=-118.50,34.01,-118.48,34.02&page_size=50", None),
        ("GET requests.json radius", "/requests.json?lat=34.0115&long=-118.4917&radius=300&page_size=50", None),
        ("GET servicerequestupdates.json", f"/servicerequestupdates.json?{ready.updates_window}", None),
        ("POST requests.json", "/requests.json", post_script(ready.key)),
    ]
    cases = [case for case in cases if args.only in case[0]]
    from django.db import connection

    size = "the demo as `make run` prepares it" if demo else f"{args.requests:,}+ requests"
    print(
        f"\nOpen311 on {connection.vendor}, {size}, "
        f"gunicorn {args.workers} workers x {args.threads} threads, wrk {args.connections} connections, "
        f"{args.rounds} rounds of {args.seconds} s per endpoint (same 2-core machine)",
        flush=True,
    )
    # This machine's speed drifts within a minute, so each run of an endpoint is paired with a run of
    # the yardstick just before it, and the table shows the medians of the runs and of the pairs' ratios.
    runs: dict[str, list[tuple[Run, Run]]] = {name: [] for name, _, _ in cases}
    product = "config.wsgi:application"
    with serving(args, YARDSTICK, "/rows.json") as yardstick, serving(args, product, "/healthz") as port:
        for _ in range(args.rounds):
            for name, path, lua in cases:
                bare = run_wrk(wrk, f"http://127.0.0.1:{yardstick}/rows.json", args.seconds, args.connections)
                url = f"http://127.0.0.1:{port}/open311/v2{path}"
                runs[name].append((bare, run_wrk(wrk, url, args.seconds, args.connections, lua)))
    print("| endpoint | requests/s | p50 | p99 | x yardstick |\n|---|---|---|---|---|")
    bare_runs = [bare for pairs in runs.values() for bare, _ in pairs]
    print(_row("bare Django view, 50 rows from SQL (the yardstick)", bare_runs, 1.0))
    for name, pairs in runs.items():
        print(_row(name, [run for _, run in pairs], median(run.rate / bare.rate for bare, run in pairs)))
    print(
        f"\nx yardstick: the endpoint's rate over the yardstick's in the run just before it (median of {args.rounds})."
        f" The issue's reference machine ran the yardstick at about {YARDSTICK_REFERENCE_RATE} requests/s,"
        f" so x {YARDSTICK_REFERENCE_RATE} estimates an endpoint's rate there; this machine ran it at"
        f" {median(run.rate for run in bare_runs):,.0f}."
    )
    if copy is not None:
        shutil.rmtree(copy.parent)


def _row(name: str, runs: list[Run], ratio: float) -> str:
    errors = sum(run.errors for run in runs)
    warning = f" ({errors} non-2xx!)" if errors else ""
    return (
        f"| {name} | {median(run.rate for run in runs):,.0f} | {median(run.p50_ms for run in runs):.1f} ms"
        f" | {median(run.p99_ms for run in runs):.1f} ms{warning} | {ratio:.2f} |"
    )


if __name__ == "__main__":
    main()
