"""Two `cityhall serve` processes on one PostgreSQL database behave as one site (docs/operations.md,
"Production layout"): a session made on one is good on the other, a rate limit counts requests to
both, a change made through one reaches a live stream open on the other, and with two task workers
each periodic task is enqueued once and each email is sent once.

Each process has a data directory of its own (as two machines would), a database of their own on
the test PostgreSQL server (created here and dropped after, so the test database's flushes never
meet two live servers), real SMTP on loopback, and JSON logs the tests read as an operator would.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from cityhall.core.tests.other_process import database_url
from cityhall.live.topics import sign, triage_topic
from cityhall.open311.tests.helpers import report
from tests.loopback import LOOPBACK
from tests.smtp import LoopbackController, SmtpInbox

from .test_serve import COMMAND, environment, free_port, stop
from .test_serve_observed import answers, wait_for

pytestmark = pytest.mark.slow

PASSWORD = "a long enough passphrase"
RESIDENT = "two-machines@example.org"
REPORTER = "reporter-two-machines@example.org"
WAIT = 120  # seconds, for a worker on a busy machine
PERIODIC = "cityhall.partners.tasks.sweep_idempotency_keys"  # hourly: one period spans the whole test
SETUP = f"""
from allauth.account.models import EmailAddress
from cityhall.accounts.models import User
from cityhall.demo.catalogue import load_catalogue
load_catalogue()
user = User.objects.create_user(email="{RESIDENT}", password="{PASSWORD}", name="Two Machines")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
"""


@dataclass
class Machine:
    port: int
    live_port: int
    log: Path

    def url(self, path: str) -> str:
        return f"http://{LOOPBACK}:{self.port}{path}"

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.log.read_text().splitlines() if line.startswith("{")]


@dataclass
class Site:
    a: Machine
    b: Machine
    key: str
    inbox: SmtpInbox


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    if connection.vendor != "postgresql":
        pytest.skip("several machines share one PostgreSQL database; SQLite is the one-machine set-up")
    name = f"cityhall_two_machines_{os.getpid()}"
    server_url = database_url()
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    shared = server_url.rsplit("/", 1)[0] + f"/{name}"
    inbox = SmtpInbox()
    smtp = LoopbackController(inbox, hostname=LOOPBACK, port=0)
    smtp.start()
    servers: list[subprocess.Popen[str]] = []
    try:
        dirs = [tmp_path_factory.mktemp(machine) for machine in ("a", "b")]

        def env(data_dir: Path) -> dict[str, str]:
            return environment(
                data_dir,
                DATABASE_URL=shared,
                CITYHALL_LOG_FORMAT="json",
                EMAIL_HOST=LOOPBACK,
                EMAIL_PORT=str(smtp.port),
            )

        run = {"check": True, "timeout": 300}
        subprocess.run([*COMMAND, "prepare"], env=env(dirs[0]), **run)  # migrates the one database
        subprocess.run([*COMMAND, "collectstatic", "--noinput", "-v", "0"], env=env(dirs[1]), **run)
        subprocess.run([*COMMAND, "shell", "-c", SETUP], env=env(dirs[0]), **run)
        made = subprocess.run([*COMMAND, "apikey", "create", "two"], env=env(dirs[0]), capture_output=True, **run)
        key = made.stdout.decode().split()[-1]
        machines = []
        for data_dir in dirs:
            machine = Machine(free_port(), free_port(), data_dir / "serve.log")
            with machine.log.open("w") as errors, (data_dir / "serve.out").open("w") as output:
                servers.append(
                    subprocess.Popen(
                        [*COMMAND, "serve", "--port", str(machine.port), "--live-port", str(machine.live_port)],
                        env=env(data_dir),
                        stdout=output,
                        stderr=errors,
                        text=True,
                    )
                )
            machines.append(machine)
        for machine in machines:  # until the web workers answer (they are slow to start on a busy machine)
            wait_for(lambda machine=machine: answers(machine.port), seconds=300)
        yield Site(machines[0], machines[1], key, inbox)
    finally:
        for server in servers:
            stop(server)
        smtp.stop()
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def browser() -> urllib.request.OpenerDirector:
    """One browser's cookies: like a browser's, they belong to the host whatever the port."""
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def status_of(opener: urllib.request.OpenerDirector, url: str) -> tuple[int, str]:
    try:
        with opener.open(url, timeout=30) as response:
            return response.status, response.url
    except urllib.error.HTTPError as error:
        return error.code, url


def test_signed_in_through_one_machine_is_signed_in_on_the_other(site):
    visitor = browser()
    with visitor.open(site.a.url("/accounts/login/"), timeout=30) as response:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "login": RESIDENT, "password": PASSWORD}).encode()
    request = urllib.request.Request(site.a.url("/accounts/login/"), data=form, headers={"Referer": site.a.url("/")})
    with visitor.open(request, timeout=30) as response:
        assert urllib.parse.urlsplit(response.url).path == "/"  # signed in, sent home
    # The profile, through the other machine, with the same cookie: no sign-in page in between.
    assert status_of(visitor, site.b.url("/profile/")) == (200, site.b.url("/profile/"))
    # A stranger on that machine is sent to sign in.
    assert "/accounts/login/" in status_of(browser(), site.b.url("/profile/"))[1]


def post_report(machine: Machine, key: str, email: str, request_id: str) -> str:
    form = urllib.parse.urlencode(report(api_key=key, email=email)).encode()
    request = urllib.request.Request(
        machine.url("/open311/v2/requests.json"), data=form, headers={"X-Request-ID": request_id}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())[0]["service_request_id"]


def test_wrong_tracking_tokens_through_one_machine_count_on_the_other(site):
    public_id = post_report(site.a, site.key, "tokens@example.org", "two-machines-tokens")
    # The count is per minute: start early enough in one that all eleven guesses fall in it.
    wait_for(lambda: time.time() % 60 < 40, seconds=30)
    guess = f"/requests/{public_id}?token=not-the-token"
    for _ in range(10):  # up to the limit: the public page, as to anyone, but each wrong guess counted
        assert status_of(browser(), site.a.url(guess))[0] == 200
    assert status_of(browser(), site.b.url(guess))[0] == 429


def read_event(sock: socket.socket) -> str:
    """The first `id:` line of a server-sent event stream."""
    buffered = b""
    while b"\nid: " not in buffered:
        chunk = sock.recv(4096)
        assert chunk, "the stream ended"
        buffered += chunk
    return buffered.split(b"\nid: ", 1)[1].split(b"\n", 1)[0].decode()


def test_a_report_through_one_machine_reaches_a_live_stream_open_on_the_other(site):
    topics = sign([triage_topic()])
    # Where the page on machine B starts (as a rendered page would): the newest event now.
    with urllib.request.urlopen(site.b.url(f"/live/poll?t={topics}"), timeout=30) as response:
        after = json.loads(response.read())["after"]
    with socket.create_connection((LOOPBACK, site.b.live_port), timeout=60) as stream:
        path = f"/live/stream?t={topics}&after={after}"
        stream.sendall(f"GET {path} HTTP/1.1\r\nHost: {LOOPBACK}\r\nAccept: text/event-stream\r\n\r\n".encode())
        public_id = post_report(site.a, site.key, "live@example.org", "two-machines-live")
        event_id = int(read_event(stream))
    assert event_id > after
    with urllib.request.urlopen(site.a.url(f"/live/poll?t={topics}&after={after}"), timeout=30) as response:
        changes = json.loads(response.read())["changes"]
    assert {"topic": triage_topic(), "event": event_id} in changes
    assert public_id


def test_each_periodic_task_is_enqueued_once_and_run_once_by_two_machines(site):
    def decisions() -> list[dict]:
        lines = site.a.lines() + site.b.lines()
        return [line for line in lines if line["logger"] == "cityhall.periodic" and line.get("task") == PERIODIC]

    # Both machines offered it when they started: one enqueued it, the other found it taken.
    made = wait_for(lambda: found if len(found := decisions()) >= 2 else None, seconds=WAIT)
    assert sorted(line["enqueued_here"] for line in made) == [False, True]

    def runs() -> list[dict]:
        lines = site.a.lines() + site.b.lines()
        return [line for line in lines if line["logger"] == "cityhall.tasks" and line["task"] == PERIODIC]

    assert [line["status"] for line in wait_for(runs, seconds=WAIT)] == ["SUCCESSFUL"]
    assert len(decisions()) == 2


def test_a_report_through_one_machine_sends_its_receipt_once_with_two_workers(site):
    post_report(site.a, site.key, REPORTER, "two-machines-receipt")

    def notify_runs() -> list[dict]:
        lines = site.a.lines() + site.b.lines()
        return [
            line
            for line in lines
            if line["logger"] == "cityhall.tasks"
            and line["request_id"] == "two-machines-receipt"
            and line["task"] == "cityhall.notifications.tasks.notify_events"
        ]

    wait_for(lambda: site.inbox.to(REPORTER), seconds=WAIT)
    # The task run that sent it has ended, and it was the only one.
    assert [line["status"] for line in wait_for(notify_runs, seconds=WAIT)] == ["SUCCESSFUL"]
    assert len(site.inbox.to(REPORTER)) == 1
