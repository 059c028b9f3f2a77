"""Live updates: how long a change takes to reach the pages that watch it.

    .venv/bin/python -m bench.live_latency [--listeners 1,100,500] [--changes 20]
    ./tools/with-postgres .venv/bin/python -m bench.live_latency

Starts the production live server (uvicorn, as `cityhall serve` does) on a fresh database (SQLite
in a temporary directory, or DATABASE_URL), opens N server-sent-event streams on one request's
page topic, then posts public replies to that request through the workflow service, one at a
time, and times each from its commit to its arrival on every stream. Replies land at random
moments of the server's half-second read cycle, as real changes do. On PostgreSQL it measures the
server twice in the same run, waking on LISTEN/NOTIFY and polling (CITYHALL_LIVE_LISTEN=false),
alternating rows. Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from statistics import quantiles
from typing import TYPE_CHECKING

from .ports import free_port

if TYPE_CHECKING:  # imported at run time only after django.setup()
    from cityhall.accounts.models import User
    from cityhall.requests.models import ServiceRequest

ROOT = Path(__file__).resolve().parent.parent
WAIT_FOR_DELIVERY_S = 10


def prepare() -> tuple[ServiceRequest, User]:
    """Migrate, load the catalogue, file one request and make an agent; returns (request, agent)."""
    import django

    django.setup()
    from django.core.management import call_command

    from cityhall.accounts.models import User
    from cityhall.accounts.roles import Role
    from cityhall.catalogue.models import Jurisdiction, Service
    from cityhall.demo.catalogue import load_catalogue
    from cityhall.requests import services

    call_command("migrate", verbosity=0)
    jurisdiction = Jurisdiction.objects.filter(jurisdiction_id="smgov.net").first() or load_catalogue()
    graffiti = Service.objects.get(jurisdiction=jurisdiction, code="graffiti-public-property")
    request = services.service_request_submit(
        service=graffiti,
        location=services.Location(lat=34.0115, lng=-118.4917),
        description="Tag on the library wall (live latency bench)",
        attributes={"SURFACE": "WALL"},
        contact=services.Contact(email="bench@example.org"),
    )
    agent, _ = User.objects.get_or_create(
        email="live-bench-agent@example.org", defaults={"name": "Bench agent", "role": Role.AGENT}
    )
    return request, agent


def reply(request: ServiceRequest, agent: User, number: int) -> tuple[float, int]:
    """A public reply through the workflow; returns (the moment it was committed, its event id)."""
    from django.db import transaction

    from cityhall.requests import services
    from cityhall.requests.events import Actor
    from cityhall.requests.models import RequestEvent
    from cityhall.requests.services import Change
    from cityhall.requests.workflow import Action, Role

    moments: list[float] = []
    with transaction.atomic():
        # Registered first, so it runs first after the commit, before the service's own after-commit
        # work (enqueuing the notifications task): the moment of the commit itself.
        transaction.on_commit(lambda: moments.append(time.perf_counter()))
        services.service_request_transition(
            service_request=request,
            action=Action.COMMENT,
            actor=Actor(user=agent, roles=frozenset({Role.AGENT})),
            change=Change(public_note=f"Update {number} from the bench."),
        )
    return moments[0], RequestEvent.objects.filter(request=request).latest("id").pk


async def listen(port: int, path: str, arrivals: dict[int, list[float]], connected: asyncio.Event) -> None:
    """One browser's EventSource: records when each event id arrives."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode())
    await writer.drain()
    try:
        while line := await reader.readline():
            if line.startswith(b"retry:"):
                connected.set()
            elif line.startswith(b"id: "):
                arrivals[int(line[4:])].append(time.perf_counter())
    finally:
        writer.close()


async def measure(port: int, request: ServiceRequest, agent: User, listeners: int, changes: int) -> list[float]:
    from cityhall.live.topics import request_topic, sign
    from cityhall.requests.selectors import latest_event_id

    loop = asyncio.get_running_loop()
    latencies: list[float] = []
    with ThreadPoolExecutor(max_workers=1) as database:  # one thread, so one database connection
        # As a page does: the stream resumes after the last event it was rendered with, so a reply
        # committed while the server is still setting the stream up is not missed.
        after = await loop.run_in_executor(database, latest_event_id)
        path = f"/live/stream?t={sign([request_topic(request.public_id)])}&after={after}"
        arrivals: dict[int, list[float]] = defaultdict(list)
        ready = [asyncio.Event() for _ in range(listeners)]
        tasks = [asyncio.create_task(listen(port, path, arrivals, event)) for event in ready]
        await asyncio.wait_for(asyncio.gather(*(event.wait() for event in ready)), 60)
        for number in range(changes):
            await asyncio.sleep(random.uniform(0, 0.5))  # anywhere in the server's read cycle
            committed, event_id = await loop.run_in_executor(database, reply, request, agent, number)
            deadline = time.perf_counter() + WAIT_FOR_DELIVERY_S
            while len(arrivals[event_id]) < listeners and time.perf_counter() < deadline:
                await asyncio.sleep(0.002)  # waiting for delivery, not measuring
            latencies += [arrived - committed for arrived in arrivals[event_id]]
            latencies += [float("inf")] * (listeners - len(arrivals[event_id]))  # never arrived
        await loop.run_in_executor(database, close_connection)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return latencies


def close_connection() -> None:
    from django.db import connection

    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--listeners", default="1,100,500", help="comma-separated numbers of open pages")
    parser.add_argument("--changes", type=int, default=20, help="replies timed per row")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_DEBUG"] = "false"
    data_dir = None
    if not os.environ.get("DATABASE_URL"):
        data_dir = tempfile.TemporaryDirectory(prefix="cityhall-live-bench-")
        os.environ["CITYHALL_DATA_DIR"] = data_dir.name
    request, agent = prepare()
    from django.db import connection

    vendor = connection.vendor
    connection.close()  # the measuring thread opens its own
    modes = {"LISTEN/NOTIFY": "true", "polling": "false"} if vendor == "postgresql" else {"polling": "false"}
    servers = {mode: start_server(listen) for mode, listen in modes.items()}
    try:
        print(f"\nLive updates on {vendor}: uvicorn, one request's page topic, public replies through the workflow")
        print("| open pages | server | replies | p50 | p95 | max | never arrived |\n|---|---|---|---|---|---|---|")
        for listeners in (int(n) for n in args.listeners.split(",")):
            for mode, (_, port) in servers.items():
                latencies = asyncio.run(measure(port, request, agent, listeners, args.changes))
                arrived = sorted(latency for latency in latencies if latency != float("inf"))
                cuts = quantiles(arrived, n=100, method="inclusive") if len(arrived) > 1 else arrived * 99
                print(
                    f"| {listeners} | {mode} | {args.changes} | {cuts[49] * 1000:.0f} ms | {cuts[94] * 1000:.0f} ms "
                    f"| {arrived[-1] * 1000:.0f} ms | {len(latencies) - len(arrived)} |",
                    flush=True,
                )
    finally:
        for server, _ in servers.values():
            server.terminate()
            server.wait(timeout=20)
        if data_dir is not None:
            data_dir.cleanup()


def start_server(listen: str) -> tuple[subprocess.Popen[bytes], int]:
    """The live server as `cityhall serve` starts it, on a free port, once it accepts connections."""
    from cityhall.core.serving import live_environment, uvicorn_argv

    port = free_port()
    env = {**live_environment(port), "CITYHALL_LIVE_LISTEN": listen}
    server = subprocess.Popen(uvicorn_argv("127.0.0.1", port), cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.2)  # waiting for the server to start, not measuring


if __name__ == "__main__":
    main()
