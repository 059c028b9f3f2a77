"""Prometheus metrics (docs/operations.md, "Metrics"): what each process measures, and what `/metrics` reads.

Two kinds. Timings (request latency, database time, task and sweep durations) are histograms each
process records. `cityhall serve` gives its processes (gunicorn's workers, the task worker) one
directory, PROMETHEUS_MULTIPROC_DIR, emptied at start, where prometheus_client's multiprocess mode
keeps each process's figures in a file; `/metrics` adds them up, so any worker answers for the
machine. Backlogs (task queue, notification outbox) are read from the database when `/metrics` is
asked, so every machine reports the same, true figure; apps register their readers with
`register_source`, which keeps the kernel from importing them.

Labels are bounded: a route is the URL pattern, never the path asked for; a task is its dotted path.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from prometheus_client import REGISTRY, CollectorRegistry, Histogram, generate_latest, multiprocess
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Requests that matched no URL pattern (404s, refusals before routing) share one route label.
UNMATCHED = "<unmatched>"

_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_LONG_SECONDS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0)

REQUEST_SECONDS = Histogram(
    "cityhall_http_request_duration_seconds",
    "Time from a request reaching Django to its response leaving it (a stream: to its first byte), by route.",
    ["method", "route", "status"],
    buckets=_SECONDS,
)
REQUEST_DATABASE_SECONDS = Histogram(
    "cityhall_http_database_duration_seconds",
    "Time a request spent in database queries, by route.",
    ["route"],
    buckets=_SECONDS,
)
TASK_SECONDS = Histogram(
    "cityhall_task_duration_seconds",
    "Time a task ran in the worker, by task and outcome (SUCCESSFUL or FAILED).",
    ["task", "status"],
    buckets=_LONG_SECONDS,
)

Source = Callable[[], Iterable[Metric]]
_sources: list[Source] = []


def register_source(source: Source) -> None:
    """Add a reader of figures that live in the database; it runs on each scrape."""
    if source not in _sources:
        _sources.append(source)


class _Sources(Collector):
    def collect(self) -> Iterable[Metric]:
        for source in _sources:
            yield from source()


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def exposition() -> bytes:
    """Every metric in Prometheus's text format: this machine's processes, then the database's figures."""
    scraped = CollectorRegistry()
    if multiprocess_dir():
        multiprocess.MultiProcessCollector(scraped)  # type: ignore[no-untyped-call]  # prometheus_client leaves it untyped
        own = b""
    else:  # one process (the development server, tests): its own registry holds the timings
        own = generate_latest(REGISTRY)
    scraped.register(_Sources())
    return own + generate_latest(scraped)
