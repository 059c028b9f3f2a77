"""Open311 under load: 16 concurrent connections against the production serving configuration.

    ./tools/with-postgres .venv/bin/python -m bench.open311_load [--requests 100000] [--seconds 10]

Seeds a database of realistic size (100,000 requests over Santa Monica's services, statuses and
neighbourhoods), starts gunicorn exactly as `cityhall serve` does (2 WSGI workers, DEBUG off),
and drives each endpoint with wrk (Debian package `wrk`, installed if missing) at 16 connections.
Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from cityhall.core.serving import DEFAULT_THREADS, DEFAULT_WORKERS, gunicorn_argv

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)
    return shutil.which("wrk") or "wrk"


def prepare(count: int) -> tuple[str, str]:
    """Migrate, load the catalogue, seed requests, issue a key; returns (a request id, the key)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cityhall.catalogue.models import Jurisdiction
    from cityhall.demo.catalogue import load_catalogue
    from cityhall.open311.models import ApiKey
    from cityhall.requests.models import ServiceRequest

    from .seed import seed_requests

    call_command("migrate", verbosity=0)
    jurisdiction = Jurisdiction.objects.filter(jurisdiction_id="smgov.net").first() or load_catalogue()
    have = ServiceRequest.objects.count()
    if have < count:
        started = time.perf_counter()
        seed_requests(jurisdiction, count - have)
        print(f"seeded {count - have:,} requests in {time.perf_counter() - started:.0f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    ApiKey.objects.filter(name="bench").delete()
    row = ApiKey(name="bench", rate_limit_per_minute=10_000_000)
    key = row.issue()
    row.save()
    recent = ServiceRequest.objects.order_by("-requested_at").values_list("public_id", flat=True).first()
    return str(recent), key


def run_wrk(wrk: str, url: str, seconds: int, connections: int, script: str | None = None) -> tuple[float, str, str]:
    command = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        command[1:1] = ["-s", script]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    # The latency distribution's lines start with the percentile ("     50%    4.20ms").
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1)  # type: ignore[union-attr]
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1)  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        p99 += f" ({errors.group(1)} non-2xx!)"
    return rate, p50, p99


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    parser.add_argument("--only", default="", help="run only the endpoints whose name contains this")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_DEBUG"] = "false"
    wrk = ensure_wrk()
    request_id, key = prepare(args.requests)

    port = free_port()
    base = f"http://127.0.0.1:{port}/open311/v2"
    # The production command line; only the access log goes nowhere, as a log shipper would take it.
    command = gunicorn_argv("127.0.0.1", port, workers=args.workers, threads=args.threads)
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)  # waiting for the server to start, not measuring
        body = "&".join(
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
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(
                'wrk.method = "POST"\n'
                f'wrk.body = "{body}"\n'
                'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
            )
        cases = [
            ("GET services.json", f"{base}/services.json", None),
            (
                "GET requests.json (first page, status + service)",
                f"{base}/requests.json?status=open&service_code=graffiti-public-property&page_size=50",
                None,
            ),
            ("GET requests/{id}.json", f"{base}/requests/{request_id}.json", None),
            ("GET requests.json bbox", f"{base}/requests.json?bbox=-118.50,34.01,-118.48,34.02&page_size=50", None),
            (
                "GET requests.json radius",
                f"{base}/requests.json?lat=34.0115&long=-118.4917&radius=300&page_size=50",
                None,
            ),
            ("POST requests.json", f"{base}/requests.json", script.name),
        ]
        from django.db import connection

        print(
            f"\nOpen311 on {connection.vendor}, {args.requests:,}+ requests, "
            f"gunicorn {args.workers} workers x {args.threads} threads, "
            f"wrk {args.connections} connections x {args.seconds} s (same 2-core machine)"
        )
        print("| endpoint | requests/s | p50 | p99 |\n|---|---|---|---|")
        for name, url, lua in cases:
            if args.only not in name:
                continue
            rate, p50, p99 = run_wrk(wrk, url, args.seconds, args.connections, lua)
            print(f"| {name} | {rate:,.0f} | {p50} | {p99} |", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
