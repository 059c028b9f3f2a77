"""What observing each request costs (core/observe.py: request id, timings, log line, histograms).

    python -m bench.observe_overhead [--calls 2000]
    CITYHALL_LOG_FORMAT=json python -m bench.observe_overhead     # with the JSON line written (to /dev/null)

Serves `/open311/v2/services.json` (a hot read, served from a per-process cache) and `/healthz`
through the Open311 handler of config/wsgi.py, in process, with and without the observation
middleware, interleaved so the machine's noise falls on both alike. Uses the configured database
(DATABASE_URL, or SQLite in CITYHALL_DATA_DIR; needs a catalogue, e.g. `make demo`). Prints figures only.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import logging

    from django.conf import settings

    from config.wsgi import ApiHandler

    for log_handler in logging.getLogger().handlers:  # the log line is formatted and written, to nowhere
        if isinstance(log_handler, logging.StreamHandler):
            log_handler.setStream(open(os.devnull, "w"))  # noqa: SIM115
    observed = ApiHandler()
    full = settings.API_MIDDLEWARE
    settings.API_MIDDLEWARE = [name for name in full if not name.endswith("RequestObservationMiddleware")]
    bare = ApiHandler()
    settings.API_MIDDLEWARE = full

    handlers: list[tuple[str, ApiHandler]] = [("observed", observed), ("bare", bare)]
    for path in ("/open311/v2/services.json", "/healthz"):
        times: dict[str, list[float]] = {"observed": [], "bare": []}
        for number in range(args.calls):
            for name, handler in handlers[:: 1 if number % 2 else -1]:
                started = time.perf_counter()
                call(handler, path)
                times[name].append(time.perf_counter() - started)
        with_it, without = statistics.median(times["observed"]), statistics.median(times["bare"])
        print(
            f"{path}: median {without * 1e6:.0f} µs without, {with_it * 1e6:.0f} µs observed "
            f"(+{(with_it - without) * 1e6:.0f} µs, {with_it / without:.2f}×), {args.calls} calls each, "
            f"log format {settings.CITYHALL_LOG_FORMAT}"
        )


def call(handler: Any, path: str) -> None:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    status: list[str] = []
    body = handler(environ, lambda line, headers, exc_info=None: status.append(line))
    b"".join(body)
    assert status[0].startswith("200"), status


if __name__ == "__main__":
    main()
