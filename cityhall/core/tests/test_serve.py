"""`cityhall serve` — what `make run` ends with — serves web, live streams and worker, stops cleanly on
Ctrl-C, refuses ports another process holds, and exits non-zero when one of its processes dies."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from cityhall.live.topics import sign

pytestmark = pytest.mark.slow

COMMAND = [sys.executable, "-m", "config.manage"]
PRODUCTION = {
    "CITYHALL_HTTPS": "true",
    "DJANGO_SECRET_KEY": "a-test-only-production-key-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "311.example.gov",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def read_until(process: subprocess.Popen[str], marker: str) -> str:
    """Read the server's output line by line until `marker` shows (or the process ends)."""
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line)
        if marker in line:
            break
    return "".join(seen)


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "CITYHALL_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "config.settings"}
    # `make run`'s own database: SQLite in the data directory. Under `make test-postgres` DATABASE_URL
    # names the one server database, which two test processes would otherwise migrate at once.
    env.pop("DATABASE_URL", None)
    for name in PRODUCTION:
        env.pop(name, None)
    return {**env, **extra}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """As `make run` does (with the city's catalogue, without the demo's requests): migrate, then
    collect the static files, whose manifest storage refuses to finish on a reference to a missing file."""
    path = tmp_path_factory.mktemp("serve")
    subprocess.run([*COMMAND, "prepare"], env=environment(path), check=True, timeout=300)
    load = "from cityhall.demo.catalogue import load_catalogue; load_catalogue()"
    subprocess.run([*COMMAND, "shell", "-c", load], env=environment(path), check=True, timeout=300)
    return path


def start(data_dir: Path, port: int, live_port: int, **env: str) -> subprocess.Popen[str]:
    serve = [*COMMAND, "serve", "--port", str(port), "--live-port", str(live_port)]
    return subprocess.Popen(
        serve, env=environment(data_dir, **env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def stop(server: subprocess.Popen[str]) -> None:
    """After a test, even a failed one: SIGTERM lets `serve` stop its servers; SIGKILL would orphan them."""
    if server.poll() is None:
        server.terminate()
        try:
            server.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture
def ports() -> tuple[int, int]:
    return free_port(), free_port()


@pytest.fixture(scope="module")
def production_server(data_dir) -> Iterator[int]:
    port, live_port = free_port(), free_port()
    server = start(data_dir, port, live_port, **PRODUCTION)
    try:
        assert f"serving on http://127.0.0.1:{port}/" in read_until(server, "serving on")
        yield port
    finally:
        stop(server)


def test_serve_answers_health_and_stops_cleanly_on_ctrl_c(data_dir, ports, tmp_path):
    port, live_port = ports
    # gunicorn's control socket would go here, one path for every gunicorn of the user: it is off.
    server = start(data_dir, port, live_port, XDG_RUNTIME_DIR=str(tmp_path))
    try:
        # `serve` prints its address only once the port accepts connections.
        started = read_until(server, "serving on")
        assert f"serving on http://127.0.0.1:{port}/" in started
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            assert response.status == 200
        # A page names its scripts and styles by their hashed names, from the manifest collectstatic wrote.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert response.status == 200 and "/static/cityhall/" in response.read().decode()
        # Live streams: the ASGI server holds them open; the sync web workers tell the page to poll.
        stream = f"/live/stream?t={sign(['queue:triage'])}&after=0"
        with urllib.request.urlopen(f"http://127.0.0.1:{live_port}{stream}", timeout=5) as response:
            assert response.headers["Content-Type"].startswith("text/event-stream")
            assert response.readline() == b"retry: 1000\n"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{stream}", timeout=5) as response:
            assert response.status == 204
        assert not (tmp_path / "gunicorn.ctl").exists()
        # The live server is no second door to the pages, the API or the admin.
        for path in ("/open311/v2/services.json", "/staff/", "/admin/", "/", "/healthz"):
            status, _, body = fetch(live_port, path)
            assert (status, body) == (404, b"Not found: this server answers only the live streams (/live/)."), path
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    finally:
        stop(server)
    assert server.returncode == 0
    assert "CityHall stopped." in output
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)


@pytest.mark.parametrize("held", ["web", "live"])
def test_serve_refuses_at_once_a_port_another_process_holds(tmp_path, ports, held):
    port, live_port = ports
    with socket.create_server(("127.0.0.1", port if held == "web" else live_port)):
        # No database needed: the ports are bound before anything starts.
        refused = subprocess.run(
            [*COMMAND, "serve", "--port", str(port), "--live-port", str(live_port)],
            env=environment(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert refused.returncode == 1
    assert "serving on" not in refused.stdout
    taken = f"port {port} (the web pages and API)" if held == "web" else f"port {live_port} (the live streams)"
    assert f"{taken}: Address already in use" in refused.stderr
    # Nothing was left behind on the port that was free.
    free = live_port if held == "web" else port
    with socket.create_server(("127.0.0.1", free)):
        pass


@pytest.mark.parametrize(
    ("program", "named"),
    [
        ("gunicorn", "The web server (gunicorn)"),
        ("uvicorn", "The live stream server (uvicorn)"),
        ("db_worker", "The task worker (db_worker)"),
    ],
)
def test_serve_exits_non_zero_naming_the_process_that_died(data_dir, ports, program, named):
    """So a supervisor's Restart=on-failure starts CityHall again."""
    port, live_port = ports
    server = start(data_dir, port, live_port)
    try:
        read_until(server, "serving on")
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        victim = next(pid for pid in children if program in Path(f"/proc/{pid}/cmdline").read_text())
        os.kill(int(victim), signal.SIGKILL)
        _, errors = server.communicate(timeout=60)
    finally:
        stop(server)
    assert server.returncode == 1
    assert f"{named} stopped unexpectedly (killed by SIGKILL)" in errors
    for pid in children:  # the others were stopped, not orphaned
        assert not Path(f"/proc/{pid}").exists()
    for at in ports:
        with socket.create_server(("127.0.0.1", at)):
            pass


def fetch(port: int, path: str, headers: dict[str, str] | None = None, **request: str) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(request.get("method", "GET"), path, body=request.get("body"), headers=headers or {})
        response = connection.getresponse()
        return response.status, {name.lower(): value for name, value in response.getheaders()}, response.read()
    finally:
        connection.close()


BEHIND_THE_PROXY = {"Host": "311.example.gov", "X-Forwarded-Proto": "https"}


def test_production_sends_hsts_for_subdomains_without_preload(production_server):
    status, headers, _ = fetch(production_server, "/healthz", BEHIND_THE_PROXY)
    assert status == 200
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    status, headers, _ = fetch(production_server, "/open311/v2/services.json", BEHIND_THE_PROXY)
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


def test_production_language_cookie_is_secure_and_same_site(production_server):
    status, headers, page = fetch(production_server, "/", BEHIND_THE_PROXY)
    assert status == 200
    csrf_cookie = headers["set-cookie"].split(";")[0]
    token = page.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    status, headers, _ = fetch(
        production_server,
        "/i18n/setlang/",
        {
            **BEHIND_THE_PROXY,
            "Origin": "https://311.example.gov",
            "Cookie": csrf_cookie,
            "Content-Type": "application/x-www-form-urlencoded",
        },
        method="POST",
        body=f"language=es&next=/&csrfmiddlewaretoken={token}",
    )
    assert status == 302
    cookie = headers["set-cookie"]
    assert cookie.startswith("django_language=es;")
    assert "; Secure" in cookie and "SameSite=Lax" in cookie


def ids(count: int) -> str:
    return "%2C".join(str(10_000_000 + number) for number in range(count))


def test_a_long_open311_request_line_is_served_and_a_longer_one_refused_in_open311_format(production_server):
    # ~450 ids is what a FixMyStreet-style client asked for; gunicorn's default refused it in HTML.
    path = f"/open311/v2/requests.json?jurisdiction_id=smgov.net&service_request_id={ids(450)}"
    status, headers, body = fetch(production_server, path, BEHIND_THE_PROXY)
    assert (status, headers["content-type"], body) == (200, "application/json; charset=utf-8", b"[]")
    # Past the documented limit (16,384 characters): Open311's own error, in the format of the path.
    status, headers, body = fetch(production_server, path.replace(ids(450), ids(2000)), BEHIND_THE_PROXY)
    assert status == 414 and headers["content-type"].startswith("application/json")
    assert b'"code":414' in body and b"the limit is 16,384" in body
    xml = f"/open311/v2/requests.xml?service_request_id={ids(2000)}"
    status, headers, body = fetch(production_server, xml, BEHIND_THE_PROXY)
    assert status == 414 and headers["content-type"].startswith("text/xml")
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?><errors><error><code>414</code>')
    # Far past it, gunicorn still hands the line on rather than answering in HTML itself.
    status, headers, body = fetch(production_server, f"/open311/v2/requests.json?x={'1' * 200_000}", BEHIND_THE_PROXY)
    assert status == 414 and b"<html" not in body.lower()
