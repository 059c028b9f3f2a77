"""The production web server's command line, shared by `cityhall serve` and the benchmarks.

One definition, so what bench/ measures is what `make run` serves.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
from pathlib import Path

# One thread per worker (gunicorn's sync worker): measured with bench.open311_load, it served
# 1.3-2x the requests of 2 or 4 threads per worker, whose threads only fought over the GIL.
DEFAULT_WORKERS = int(os.environ.get("CITYHALL_WEB_WORKERS", "2"))
DEFAULT_THREADS = int(os.environ.get("CITYHALL_WEB_THREADS", "1"))
# gunicorn caps a request line at 8,190 bytes whatever it is told (0 alone lifts the cap) and
# answers a longer one with an HTML 414. Open311 clients ask for hundreds of ids in one query
# string, so gunicorn passes every line on and the application refuses one past its own limit in
# the client's format (cityhall/open311/middleware.py). The sync worker's timeout bounds how long a
# client may keep sending one line, and the buffering proxy in front (docs/operations.md) how much.
LIMIT_REQUEST_LINE = 0
# A browser repeats the page's address in Referer: a header must hold as much as a request line may.
LIMIT_REQUEST_FIELD_SIZE = 32 * 1024


def gunicorn_argv(
    host: str,
    port: int,
    *,
    workers: int = DEFAULT_WORKERS,
    threads: int = DEFAULT_THREADS,
    app: str = "config.wsgi:application",
    fd: int | None = None,
    access_log: bool = True,
) -> list[str]:
    """`app` is only ever changed by the bench, to serve its yardstick the same way.

    `fd` is a socket already listening on host:port (see `listen`), which gunicorn then serves.
    `access_log` is gunicorn's line per request, off when the application logs its own (JSON logs).
    """
    return [
        sys.executable,
        "-m",
        "gunicorn",
        app,
        "--bind",
        f"fd://{fd}" if fd is not None else f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        # The application is imported once, by gunicorn's master, and each worker is a fork of it: a
        # worker is ready at once and shares the imported code's memory (docs/architecture.md, "Start-up").
        # Importing opens no database connection for the forks to share (core/tests/test_startup.py).
        "--preload",
        *(["--access-logfile", "-"] if access_log else []),
        "--graceful-timeout",
        "5",
        "--limit-request-line",
        str(LIMIT_REQUEST_LINE),
        "--limit-request-field_size",
        str(LIMIT_REQUEST_FIELD_SIZE),
        # gunicorn's control socket (for `gunicornc`, unused here) has one path per user, so every
        # gunicorn of that user on the host — two cities, a bench beside `make run` — would share it.
        "--no-control-socket",
    ]


def uvicorn_argv(host: str, port: int, *, fd: int | None = None) -> list[str]:
    """The ASGI server for the live streams only (docs/live.md); one process holds thousands of them."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "config.asgi:application",
        *(["--fd", str(fd)] if fd is not None else ["--host", host, "--port", str(port)]),
        "--no-access-log",
        "--timeout-graceful-shutdown",
        "2",
    ]


def worker_argv() -> list[str]:
    """The task worker (django-tasks' database worker) for every queue, as `cityhall serve` runs it."""
    return [sys.executable, "-m", "config.manage", "db_worker", "--queue-name", "*", "--no-reload", "-v", "0"]


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on host:port, for a server started with its `fd`.

    Binding here, before any server starts, makes a port that another process holds fail at once
    (OSError), instead of a server retrying in its log while the other process answers for it.
    """
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    return socket.create_server((host, port), family=family, backlog=2048)


def live_environment(port: int) -> dict[str, str]:
    """What the web workers need to know to point pages at the live server on `port`."""
    env = dict(os.environ)
    if not env.get("CITYHALL_LIVE_URL"):
        env["CITYHALL_LIVE_PORT"] = str(port)
    env["CITYHALL_LIVE_STREAM_OVER_WSGI"] = "false"  # a sync worker must never hold a stream open
    return env


# Under the data directory: each process's metric files (prometheus_client's multiprocess mode).
METRICS_DIR = "metrics"


def metrics_environment(directory: Path) -> dict[str, str]:
    """An empty directory where every process `serve` starts keeps its metrics, and `/metrics` adds them up.

    Emptied at each start: a file left by a process of an earlier run would be added to this run's
    figures (and one per process id piles up). Counters and histograms start again from zero, which
    Prometheus's rate() reads as a restart.
    """
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return {"PROMETHEUS_MULTIPROC_DIR": str(directory)}
