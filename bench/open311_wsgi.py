"""Open311 in one process: the WSGI application called directly, no server, no network.

    DATABASE_URL=sqlite:///var/bench/copy.sqlite3 .venv/bin/python -m bench.open311_wsgi PATH [PATH ...]
    DATABASE_URL=sqlite:///var/bench/copy.sqlite3 .venv/bin/python -m bench.open311_wsgi POST

Each PATH (e.g. `/open311/v2/requests.json?page_size=50`, or `/rows.json` for the yardstick of
bench/bare_django.py, in a command of its own: the two cannot share a process's settings) is called
5 times to warm up, then 300 times; prints milliseconds a request. `POST` posts bench.open311_load's
pothole report with a fresh API key instead (300 new requests in the copy). With `--profile`, prints
cProfile's heaviest functions too. Point DATABASE_URL at a copy of var/bench/demo.sqlite3
(bench/demo_db.py makes it). Prints; asserts nothing.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import sys
import time
from collections.abc import Callable
from typing import Any
from wsgiref.util import setup_testing_defaults

CALLS = 300


def _application(path: str) -> Callable[..., Any]:
    if path == "/rows.json":
        from bench.bare_django import application as yardstick

        return yardstick
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from config.wsgi import application

    return application


POST_PATH = "/open311/v2/requests.json"


def _post_environ(key: str) -> Callable[[], dict[str, Any]]:
    from .open311_load import post_body

    body = post_body(key).encode()

    def environ() -> dict[str, Any]:
        return {
            "PATH_INFO": POST_PATH,
            "REQUEST_METHOD": "POST",
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "HTTP_HOST": "127.0.0.1",
        }

    return environ


def _call(application: Callable[..., Any], path: str, post: Callable[[], dict[str, Any]] | None = None) -> None:
    route, _, query = path.partition("?")
    environ: dict[str, Any] = post() if post else {"PATH_INFO": route, "QUERY_STRING": query, "HTTP_HOST": "127.0.0.1"}
    setup_testing_defaults(environ)
    status: list[str] = []
    b"".join(application(environ, lambda line, headers, *rest: status.append(line)))
    if not status[0].startswith(("200", "201")):
        raise SystemExit(f"{path}: {status[0]}")


def main() -> None:
    os.environ["DJANGO_DEBUG"] = "false"
    profile = "--profile" in sys.argv
    paths = [arg for arg in sys.argv[1:] if arg != "--profile"]
    for path in paths:
        application = _application(path)
        post = None
        if path == "POST":
            import django

            django.setup()
            from .seed import bench_key

            path, post = POST_PATH, _post_environ(bench_key())
        for _ in range(5):
            _call(application, path, post)
        profiler = cProfile.Profile() if profile else None
        if profiler:
            profiler.enable()
        started = time.perf_counter()
        for _ in range(CALLS):
            _call(application, path, post)
        elapsed = time.perf_counter() - started
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        print(f"{'POST ' if post else ''}{path}: {elapsed / CALLS * 1000:.2f} ms a request", flush=True)


if __name__ == "__main__":
    main()
