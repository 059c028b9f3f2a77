"""`cityhall serve`: the whole product in one command — web (gunicorn, WSGI), live streams (uvicorn,
ASGI, on the next port) and the task worker.

Ctrl-C (SIGINT) or SIGTERM stops every child cleanly. Periodic housekeeping (auto-closing
resolved requests…) is enqueued here on a timer and run by the worker.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from typing import Any

from django.core.management.base import BaseCommand

from cityhall.core.periodic import enqueue_due
from cityhall.core.serving import (
    DEFAULT_THREADS,
    DEFAULT_WORKERS,
    gunicorn_argv,
    live_environment,
    uvicorn_argv,
    worker_argv,
)


class Command(BaseCommand):
    help = "Serve the web app and run the background worker until interrupted."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("CITYHALL_HOST", "127.0.0.1"))
        parser.add_argument("--web-workers", type=int, default=DEFAULT_WORKERS)
        parser.add_argument("--web-threads", type=int, default=DEFAULT_THREADS)
        parser.add_argument("--live-port", type=int, default=None, help="port of the live streams (default: port + 1)")

    def handle(self, *args: Any, port: int, host: str, web_workers: int, web_threads: int, **options: Any) -> None:
        live_port = options["live_port"] or port + 1
        env = live_environment(live_port)
        web = subprocess.Popen(gunicorn_argv(host, port, workers=web_workers, threads=web_threads), env=env)  # noqa: S603
        live = subprocess.Popen(uvicorn_argv(host, live_port), env=env)  # noqa: S603
        worker = subprocess.Popen(worker_argv())  # noqa: S603
        children = [web, live, worker]
        stop = threading.Event()

        def shutdown(signum: int, frame: Any) -> None:
            stop.set()

        signal.signal(signal.SIGINT, shutdown)
        signal.signal(signal.SIGTERM, shutdown)
        servers = ((port, web), (live_port, live))
        listening = all(self._wait_until_listening(host, at, child, stop) for at, child in servers)
        if listening:
            self.stdout.write(self.style.SUCCESS(f"CityHall is serving on http://{host}:{port}/ (Ctrl-C to stop)"))
        while not stop.is_set():
            enqueue_due()
            if any(child.poll() is not None for child in children):
                self.stderr.write("A CityHall process stopped unexpectedly; shutting down.")
                break
            stop.wait(2)
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        self.stdout.write("CityHall stopped.")

    @staticmethod
    def _wait_until_listening(host: str, port: int, web: subprocess.Popen[bytes], stop: threading.Event) -> bool:
        """Announce the address only once it accepts connections, so the printed line can be trusted."""
        deadline = time.monotonic() + 60
        while not stop.is_set() and web.poll() is None and time.monotonic() < deadline:
            try:
                socket.create_connection((host, port), timeout=1).close()
                return True
            except OSError:
                stop.wait(0.1)
        return False
