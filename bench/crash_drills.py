"""Crash drills (issue 18): kill what serves CityHall and check that nothing acknowledged is lost.

    .venv/bin/python -m bench.crash_drills                                   # SQLite (a fresh file)
    ./tools/with-postgres .venv/bin/python -m bench.crash_drills             # PostgreSQL, one drill more

1. **Web killed under load.** Clients POST reports to Open311 `requests.json` while the web processes
   (gunicorn's master and workers, started as `cityhall serve` starts them) are killed with SIGKILL,
   then started again, `--kills` times. Every request id a client was given (HTTP 200 with an id)
   must be in the database afterwards.
2. **PostgreSQL restarted under load** (PostgreSQL only; tools/with-postgres says where the server
   is). While it is down, every answer is a 503 with Retry-After — an Open311 error under /open311/,
   an HTML page elsewhere — and never a 500; once it is back, the same web processes answer 2xx
   again without a restart. Prints the time from the server being back to the first 2xx.
3. **Task worker killed mid-send.** Reports queue receipt emails for a real SMTP server on loopback
   (aiosmtpd); the worker (as `cityhall serve` runs it) is killed with SIGKILL while the server holds
   one message's reply, then started again. Each message must reach the server exactly once.

Everything listens on 127.0.0.1; every loop is bounded in count and time; everything started is
stopped. Prints a table and PASS or FAIL; exits 1 on FAIL.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cityhall.core.serving import gunicorn_argv, worker_argv

from .ports import free_port, wait_until_answers

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
REPORT = {
    "service_code": "potholes",
    "lat": "34.0115",
    "long": "-118.4917",
    "attribute[SIZE]": "M",
    "description": "Crash drill pothole",
}
DRILL_SECONDS = 60  # the most any one phase of a drill may take before it counts as failed


@dataclass
class Drill:
    name: str
    passed: bool
    figures: str


# -- processes -------------------------------------------------------------------------------------


LOG = {"file": subprocess.DEVNULL}  # the children's output: nowhere, unless --log names a file


def start(argv: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """A child in its own process group, so SIGKILL can reach it and everything it forked at once."""
    return subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=LOG["file"], stderr=subprocess.STDOUT, start_new_session=True
    )


def kill_hard(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def stop(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        kill_hard(process)


@contextlib.contextmanager
def web(port: int) -> Iterator[list[subprocess.Popen[bytes]]]:
    """gunicorn as `cityhall serve` runs it; yields a one-item list the drill may swap for a restart."""
    server = [start(gunicorn_argv(HOST, port))]
    try:
        wait_until_answers(f"http://{HOST}:{port}/healthz")
        yield server
    finally:
        stop(server[0])


# -- load ------------------------------------------------------------------------------------------


@dataclass
class Answer:
    at: float
    path: str
    status: int  # 0: no HTTP answer (refused, reset)
    content_type: str = ""
    retry_after: str = ""
    body: bytes = b""


@dataclass
class Load:
    """`clients` threads cycling through `calls` until stopped; every answer is kept."""

    port: int
    calls: list[tuple[str, str, dict[str, str] | None]]  # (method, path, form)
    clients: int = 8
    answers: list[Answer] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __enter__(self) -> Load:
        self.threads = [threading.Thread(target=self._client, args=(n,), daemon=True) for n in range(self.clients)]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=10)

    def _client(self, offset: int) -> None:
        turn = offset
        while not self.stopping.is_set():
            method, path, form = self.calls[turn % len(self.calls)]
            turn += 1
            answer = self._call(method, path, form)
            with self.lock:
                self.answers.append(answer)
                if method == "POST" and answer.status == 200:
                    self.acknowledged.extend(_created_ids(answer.body))
            if answer.status == 0:
                self.stopping.wait(0.05)  # the server is down: knock again shortly, not in a tight loop

    def _call(self, method: str, path: str, form: dict[str, str] | None) -> Answer:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            body = urllib.parse.urlencode(form) if form else None
            headers = {"Content-Type": "application/x-www-form-urlencoded"} if form else {}
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return Answer(
                time.monotonic(),
                path,
                response.status,
                response.getheader("Content-Type", ""),
                response.getheader("Retry-After", ""),
                response.read(),
            )
        except (OSError, http.client.HTTPException):
            return Answer(time.monotonic(), path, 0)
        finally:
            connection.close()

    def count(self) -> int:
        with self.lock:
            return len(self.answers)

    def wait_for(self, predicate: Any, seconds: float = DRILL_SECONDS) -> bool:
        """Poll `predicate()` until it holds or `seconds` pass (the load runs meanwhile)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with self.lock:
                if predicate():
                    return True
            time.sleep(0.05)
        return False


def _created_ids(body: bytes) -> list[str]:
    try:
        return [str(item["service_request_id"]) for item in json.loads(body) if item.get("service_request_id")]
    except (ValueError, TypeError, AttributeError):
        return []


# -- the drills ------------------------------------------------------------------------------------


def drill_kill_web(key: str, kills: int, per_phase: int) -> Drill:
    from cityhall.requests.models import ServiceRequest

    port = free_port()
    post = ("POST", "/open311/v2/requests.json", {**REPORT, "api_key": key})
    back_after: list[float] = []  # per kill: from the new server's start to its first acknowledged report
    with web(port) as server, Load(port, [post]) as load:
        for _ in range(kills):
            before = len(load.acknowledged)
            load.wait_for(lambda before=before: len(load.acknowledged) >= before + per_phase)
            kill_hard(server[0])  # master and workers at once, mid-request
            server[0] = start(gunicorn_argv(HOST, port))
            started_at, from_answer = time.monotonic(), load.count()

            def served_since(started_at: float = started_at, from_answer: int = from_answer) -> list[float]:
                return [a.at for a in load.answers[from_answer:] if a.status == 200 and a.at >= started_at]

            if load.wait_for(lambda: bool(served_since())):
                back_after.append(min(served_since()) - started_at)
        before = len(load.acknowledged)
        recovered = load.wait_for(lambda: len(load.acknowledged) >= before + per_phase)
    acknowledged = set(load.acknowledged)
    present = set(ServiceRequest.objects.filter(public_id__in=acknowledged).values_list("public_id", flat=True))
    statuses = Counter(answer.status for answer in load.answers)
    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    lost = len(acknowledged - present)
    return Drill(
        f"web killed (SIGKILL) {kills}x under POST load",
        lost == 0 and server_errors == 0 and recovered and len(back_after) == kills,
        f"acknowledged {len(acknowledged)}, present {len(present)}, lost {lost}; "
        f"no answer {statuses[0]}, 5xx {server_errors}; restart to first 2xx "
        + (", ".join(f"{seconds * 1000:.0f} ms" for seconds in back_after) or "never"),
    )


def drill_restart_postgres(key: str) -> Drill:
    pg_ctl = _pg_ctl()
    port = free_port()
    calls = [
        ("POST", "/open311/v2/requests.json", {**REPORT, "api_key": key}),
        ("GET", "/open311/v2/requests.xml", None),
        ("GET", "/requests", None),
    ]
    with web(port) as server, Load(port, calls, clients=6) as load:
        master = server[0].pid
        load.wait_for(lambda: sum(a.status == 200 for a in load.answers) >= 30)
        stopped_at = len(load.answers)
        subprocess.run([*pg_ctl, "stop", "-m", "fast", "-w"], check=True, stdout=subprocess.DEVNULL)
        down_from = len(load.answers)
        load.wait_for(lambda: sum(a.status == 503 for a in load.answers[down_from:]) >= 30)
        log = str(Path(os.environ["CITYHALL_PG_DATA"]).parent / "server.log")
        subprocess.run([*pg_ctl, "start", "-w", "-l", log], check=True, stdout=subprocess.DEVNULL)
        back_at = time.monotonic()
        up_from = len(load.answers)
        recovered = load.wait_for(lambda: any(a.status == 200 and a.at >= back_at for a in load.answers[up_from:]))
        first_ok = min((a.at for a in load.answers[up_from:] if a.status == 200 and a.at >= back_at), default=None)
        load.wait_for(lambda: len(load.answers) >= up_from + 30, seconds=10)
        restarted = server[0].pid != master or server[0].poll() is not None
    during = load.answers[stopped_at:up_from]
    unavailable = [a for a in during if a.status == 503]
    well_formed = [a for a in unavailable if _is_unavailable_answer(a)]
    errors = Counter(f"{a.status} {a.path}" for a in load.answers if a.status >= 500 and a.status != 503)
    recovery = f"{(first_ok - back_at) * 1000:.0f} ms" if first_ok is not None else "never"
    return Drill(
        "PostgreSQL stopped and started under load",
        recovered and not restarted and not errors and bool(unavailable) and len(well_formed) == len(unavailable),
        f"while down: {len(unavailable)} x 503 ({len(well_formed)} in the right format with Retry-After), "
        f"other 5xx {sum(errors.values())} {dict(errors) or ''}; back to first 2xx {recovery}; "
        f"web restarted: {'yes' if restarted else 'no'}",
    )


def _is_unavailable_answer(answer: Answer) -> bool:
    if not answer.retry_after:
        return False
    if answer.path.startswith("/open311/") and answer.path.endswith(".json"):
        return answer.content_type.startswith("application/json") and json.loads(answer.body)[0]["code"] == 503
    if answer.path.startswith("/open311/"):
        return answer.content_type.startswith("text/xml") and b"<code>503</code>" in answer.body
    return answer.content_type.startswith("text/html")


def _pg_ctl() -> list[str]:
    """pg_ctl for the server tools/with-postgres started, run as the user it runs as."""
    command = [str(Path(os.environ["CITYHALL_PG_BIN"]) / "pg_ctl"), "-D", os.environ["CITYHALL_PG_DATA"]]
    user = os.environ.get("CITYHALL_PG_USER", "")
    return ["runuser", "-u", user, "--", *command] if user else command


class HoldingSmtpSink:
    """An SMTP server that accepts everything and holds its reply to the `hold_at`-th message.

    The worker is then waiting for the server's "250" for a message the server already has:
    killing it there is the worst moment, the one the outbox's claim was designed for.
    """

    def __init__(self, hold_at: int) -> None:
        self.hold_at = hold_at
        self.received: Counter[str] = Counter()
        self.holding = threading.Event()
        self.released = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        for address in envelope.rcpt_tos:
            self.received[address] += 1
        if sum(self.received.values()) == self.hold_at:
            self.holding.set()
            for _ in range(200):  # at most 10 s; the drill releases it once the worker is dead
                if self.released.is_set():
                    break
                await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"


def drill_kill_worker(messages: int) -> Drill:
    from django.db.models import Q
    from django.utils import timezone

    from cityhall.catalogue.models import Service
    from cityhall.notifications.models import Message
    from cityhall.requests import services
    from tests.smtp import LoopbackController

    sink = HoldingSmtpSink(hold_at=max(1, messages // 3))
    smtp = LoopbackController(sink, hostname=HOST, port=0)
    smtp.start()
    env = {**os.environ, "EMAIL_HOST": HOST, "EMAIL_PORT": str(smtp.port), "EMAIL_TIMEOUT": "30"}
    addresses = [f"drill-{os.getpid()}-{n}@example.org" for n in range(messages)]
    pothole = Service.objects.get(jurisdiction__jurisdiction_id="smgov.net", code="potholes")
    worker = None
    try:
        # Queued while no worker runs: one receipt email per report, waiting in the task queue.
        for address in addresses:
            services.service_request_submit(
                service=pothole,
                location=services.Location(lat=34.0115, lng=-118.4917),
                description="Crash drill pothole",
                attributes={"SIZE": "M"},
                contact=services.Contact(email=address),
            )
        worker = start(worker_argv(), env)
        held = sink.holding.wait(DRILL_SECONDS)
        kill_hard(worker)
        killed_at = timezone.now()
        sink.released.set()
        at_kill = sum(sink.received.values())
        worker = start(worker_argv(), env)
        rows = Message.objects.filter(address__in=addresses)
        # Done when every row is stored and none is waiting or being sent by the new worker; rows
        # the killed worker had claimed stay "sending" (docs/notifications.md, "Exactly once").
        unfinished = Q(status="pending") | Q(status="sending", claimed_at__gte=killed_at)
        deadline = time.monotonic() + DRILL_SECONDS
        while time.monotonic() < deadline and (rows.count() < messages or rows.filter(unfinished).exists()):
            time.sleep(0.2)  # waiting for the restarted worker, not measuring
        statuses = Counter(rows.values_list("status", flat=True))
    finally:
        if worker is not None:
            stop(worker)
        smtp.stop()
    once = sum(1 for address in addresses if sink.received[address] == 1)
    twice = sum(1 for address in addresses if sink.received[address] > 1)
    never = sum(1 for address in addresses if sink.received[address] == 0)
    rows_text = ", ".join(f"{status} {n}" for status, n in sorted(statuses.items()))
    return Drill(
        "task worker killed (SIGKILL) mid-send",
        held and once == messages,
        f"{messages} emails: delivered once {once}, more than once {twice}, never {never} "
        f"(killed after {at_kill} arrived, holding the reply to one); outbox rows: {rows_text}",
    )


# -- main ------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=3, help="times the web processes are killed")
    parser.add_argument("--per-phase", type=int, default=100, help="acknowledged POSTs before each kill")
    parser.add_argument("--messages", type=int, default=30, help="emails queued for the worker drill")
    parser.add_argument("--only", default="", help="run only the drills whose name contains this")
    parser.add_argument("--log", type=argparse.FileType("ab"), help="append the servers' and worker's output here")
    args = parser.parse_args()
    if args.log:
        LOG["file"] = args.log
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_DEBUG"] = "false"
    with tempfile.TemporaryDirectory(prefix="cityhall-drills-") as scratch:
        # SQLite: a fresh database file, never the developer's own (the children inherit the URL).
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/drills.sqlite3")
        os.environ.setdefault("CITYHALL_DATA_DIR", scratch)
        sys.exit(run(args))


def run(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from .seed import bench_key, prepared_city

    prepared_city(0)
    call_command("collectstatic", "--no-input", verbosity=0)  # pages need the manifest, as `cityhall prepare` makes
    key = bench_key("crash drills")
    vendor = connection.vendor
    runs: dict[str, Callable[[], Drill]] = {
        "web": lambda: drill_kill_web(key, args.kills, args.per_phase),
        "postgresql": lambda: drill_restart_postgres(key),
        "worker": lambda: drill_kill_worker(args.messages),
    }
    if vendor != "postgresql":
        del runs["postgresql"]
    drills: list[Drill] = []
    for name, run_drill in runs.items():
        if args.only in name:
            # A new connection for each drill: the PostgreSQL drill ends this process's old one.
            connection.close()
            drills.append(run_drill())
    print(f"\nCrash drills on {vendor}\n\n| drill | result | figures |\n|---|---|---|")
    for drill in drills:
        print(f"| {drill.name} | {'pass' if drill.passed else 'FAIL'} | {drill.figures} |")
    passed = all(drill.passed for drill in drills)
    print(f"\n{'PASS' if passed else 'FAIL'}: {sum(d.passed for d in drills)} of {len(drills)} drills passed")
    return 0 if passed else 1


if __name__ == "__main__":
    main()
