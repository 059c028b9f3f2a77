"""`cityhall serve` — what `make run` ends with — serves web, live streams and worker, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.request

import pytest

from cityhall.live.topics import sign


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


@pytest.mark.slow
def test_serve_answers_health_and_stops_cleanly_on_ctrl_c(tmp_path):
    env = {**os.environ, "CITYHALL_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"}
    command = [sys.executable, "-m", "config.manage"]
    # As `make run` does (without the demo): migrate, then collect the static files, whose manifest
    # storage refuses to finish on a reference to a missing file.
    subprocess.run([*command, "prepare"], env=env, check=True, timeout=300)
    port, live_port = free_port(), free_port()
    serve = [*command, "serve", "--port", str(port), "--live-port", str(live_port)]
    server = subprocess.Popen(serve, env=env, stdout=subprocess.PIPE, text=True)
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
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode == 0
    assert "CityHall stopped." in output
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
