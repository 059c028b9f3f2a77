"""The production web server's command line, shared by `cityhall serve` and the benchmarks.

One definition, so what bench/ measures is what `make run` serves.
"""

from __future__ import annotations

import os
import sys

# One thread per worker (gunicorn's sync worker): measured with bench.open311_load, it served
# 1.3-2x the requests of 2 or 4 threads per worker, whose threads only fought over the GIL.
DEFAULT_WORKERS = int(os.environ.get("CITYHALL_WEB_WORKERS", "2"))
DEFAULT_THREADS = int(os.environ.get("CITYHALL_WEB_THREADS", "1"))


def gunicorn_argv(host: str, port: int, *, workers: int = DEFAULT_WORKERS, threads: int = DEFAULT_THREADS) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "5",
    ]
