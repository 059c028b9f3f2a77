"""`cityhall serve`: the whole product in one command — web (gunicorn, WSGI), live streams (uvicorn,
ASGI, on the next port) and the task worker.

Ctrl-C (SIGINT) or SIGTERM stops every child cleanly, and `serve` exits 0. When one of them dies
on its own, `serve` stops the others and exits 1, naming it, so a supervisor (systemd's
Restart=on-failure) starts the whole again. Periodic housekeeping (auto-closing resolved
requests…) is enqueued here on a timer and run by the worker.
"""

from __future__ import annotations

import http.client
import logging
import os
import signal
import socket
import subprocess
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

from cityhall.core import readiness
from cityhall.core.periodic import enqueue_due
from cityhall.core.serving import (
    DEFAULT_THREADS,
    DEFAULT_WORKERS,
    METRICS_DIR,
    gunicorn_argv,
    listen,
    live_environment,
    metrics_environment,
    uvicorn_argv,
    worker_argv,
)

READY_SECONDS = 60
logger = logging.getLogger(__name__)


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
        if live_port == port:
            raise CommandError(f"--live-port must differ from --port ({port}).")
        # The apps' own checks (the signing keys a token or PKCS#12 file holds): a misconfiguration stops
        # the start here, named, rather than a clerk's approval later.
        failed = {name: outcome for name, outcome in readiness.app_checks().items() if outcome != readiness.OK}
        if failed:
            named = "; ".join(f"{name}: {outcome}" for name, outcome in failed.items())
            raise CommandError(f"Not starting: {named} (docs/documents.md, Production keys).")
        web_socket, live_socket = self._listen(host, {port: "the web pages and API", live_port: "the live streams"})
        env = {**live_environment(live_port), **metrics_environment(settings.DATA_DIR / METRICS_DIR)}
        access_log = settings.CITYHALL_LOG_FORMAT != "json"  # in JSON, each request has its own line already
        web_fd, live_fd = web_socket.fileno(), live_socket.fileno()
        # Each server gets its listening socket as an inherited file descriptor, and only its own.
        children = {
            "the web server (gunicorn)": subprocess.Popen(  # noqa: S603
                gunicorn_argv(host, port, workers=web_workers, threads=web_threads, fd=web_fd, access_log=access_log),
                env=env,
                pass_fds=[web_fd],
            ),
            "the live stream server (uvicorn)": subprocess.Popen(  # noqa: S603
                uvicorn_argv(host, live_port, fd=live_fd), env=env, pass_fds=[live_fd]
            ),
            "the task worker (db_worker)": subprocess.Popen(worker_argv(), env=env),  # noqa: S603
        }
        # The servers hold their own copies; closing ours frees the ports as soon as they stop.
        web_socket.close()
        live_socket.close()
        stop = threading.Event()

        def shutdown(signum: int, frame: Any) -> None:
            stop.set()

        signal.signal(signal.SIGINT, shutdown)
        signal.signal(signal.SIGTERM, shutdown)
        web, live = children["the web server (gunicorn)"], children["the live stream server (uvicorn)"]
        if all(self._wait_until_answering(host, at, child, stop) for at, child in ((port, web), (live_port, live))):
            self.stdout.write(self.style.SUCCESS(f"CityHall is serving on http://{host}:{port}/ (Ctrl-C to stop)"))
        died = None
        while not stop.is_set():
            try:
                enqueue_due()
            except DatabaseError:
                # A database restart must not stop the servers (they answer 503 meanwhile): try next turn.
                logger.warning("Could not enqueue the periodic tasks; trying again", exc_info=True)
                connection.close()
            died = next(((name, child) for name, child in children.items() if child.poll() is not None), None)
            if died is not None:
                break
            stop.wait(2)
        self._stop(children.values())
        if died is not None:
            name, child = died
            raise CommandError(
                f"{name[0].upper()}{name[1:]} stopped unexpectedly ({_how(child.returncode)}), so CityHall stopped "
                "the others. Its own messages above say why."
            )
        self.stdout.write("CityHall stopped.")

    @staticmethod
    def _listen(host: str, ports: dict[int, str]) -> list[socket.socket]:
        """Bind every port before starting anything, and name each that another process holds."""
        sockets, busy = [], []
        for port, purpose in ports.items():
            try:
                sockets.append(listen(host, port))
            except OSError as error:
                busy.append(f"port {port} ({purpose}): {os.strerror(error.errno) if error.errno else error}")
        if busy:
            for opened in sockets:
                opened.close()
            raise CommandError(
                f"Cannot listen on {host}: " + "; ".join(busy) + ". Stop the process that holds it, or choose "
                "other ports with --port (or PORT) and --live-port (default: the port after --port)."
            )
        return sockets

    @staticmethod
    def _stop(children: Any) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()

    @staticmethod
    def _wait_until_answering(host: str, port: int, server: subprocess.Popen[bytes], stop: threading.Event) -> bool:
        """Announce the address only once the server answers HTTP, so the printed line can be trusted.

        The socket is ours, so it accepts connections before the server is up: only an answer counts.
        """
        deadline = time.monotonic() + READY_SECONDS
        while not stop.is_set() and server.poll() is None and time.monotonic() < deadline:
            connection = http.client.HTTPConnection(host, port, timeout=5)
            try:
                connection.request("GET", "/healthz", headers={"Host": _a_served_host(host)})
                connection.getresponse()
                return True
            except (OSError, http.client.HTTPException):
                stop.wait(0.1)
            finally:
                connection.close()
        return False


def _a_served_host(fallback: str) -> str:
    """A host name Django accepts, so the readiness check is not logged as a bad Host header."""
    return next((name for name in settings.ALLOWED_HOSTS if name != "*" and not name.startswith(".")), fallback)


def _how(returncode: int) -> str:
    if returncode >= 0:
        return f"exit status {returncode}"
    try:
        return f"killed by {signal.Signals(-returncode).name}"
    except ValueError:
        return f"killed by signal {-returncode}"
