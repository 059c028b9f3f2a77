"""`cityhall serve` observed as production runs it: JSON log lines for each request and each task, sharing
the request id; /metrics adding up every process's figures (gunicorn's workers and the task worker)."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from cityhall.open311.tests.helpers import report

from .test_serve import COMMAND, environment, fetch, free_port, stop

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[int, str, Path, Path]]:
    """A fresh `make run`-like install served with JSON logs; (port, an Open311 key, its log, its data dir)."""
    data_dir = tmp_path_factory.mktemp("observed")
    subprocess.run([*COMMAND, "prepare"], env=environment(data_dir), check=True, timeout=300)
    load = "from cityhall.demo.catalogue import load_catalogue; load_catalogue()"
    subprocess.run([*COMMAND, "shell", "-c", load], env=environment(data_dir), check=True, timeout=300)
    key = (
        subprocess.run(
            [*COMMAND, "apikey", "create", "serve-test"],
            env=environment(data_dir),
            check=True,
            timeout=300,
            capture_output=True,
        )
        .stdout.decode()
        .split()[-1]  # the key is the last line
    )
    # A file an earlier run left in the metrics directory would be added to this run's figures.
    (data_dir / "metrics").mkdir()
    (data_dir / "metrics" / "counter_999999.db").write_bytes(b"left by an earlier run")
    port = free_port()
    log = data_dir / "serve.log"
    with log.open("w") as errors, (data_dir / "serve.out").open("w") as output:
        server = subprocess.Popen(
            [*COMMAND, "serve", "--port", str(port), "--live-port", str(free_port())],
            env=environment(data_dir, CITYHALL_LOG_FORMAT="json"),
            stdout=output,  # the console email backend prints the emails there: kept out of the log
            stderr=errors,
            text=True,
        )
    try:
        # Until the web workers answer (they are slow to start on a busy machine).
        wait_for(lambda: answers(port), seconds=300)
        yield port, key, log, data_dir
    finally:
        stop(server)


def answers(port: int) -> bool:
    try:
        return fetch(port, "/healthz")[0] == 200
    except OSError:
        return False


def json_lines(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]


def wait_for(condition, seconds: float = 60):
    """Poll until `condition()` gives something truthy; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    pytest.fail(f"not seen within {seconds} s")


def scrape(port: int) -> dict[tuple[str, tuple], float]:
    status, _, body = fetch(port, "/metrics")
    assert status == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body.decode())
        for sample in family.samples
    }


def post_report(port: int, key: str, request_id: str) -> None:
    form = urllib.parse.urlencode(report(api_key=key, email="r@example.org"))
    status, headers, _ = fetch(
        port,
        "/open311/v2/requests.json",
        {"X-Request-ID": request_id, "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
        body=form,
    )
    assert status == 200 and headers["x-request-id"] == request_id


def test_a_request_and_the_tasks_it_enqueued_log_one_request_id(served):
    port, key, log, _ = served
    post_report(port, key, "serve-report-1")

    def task_lines() -> list[dict]:
        lines = [line for line in json_lines(log) if line.get("request_id") == "serve-report-1"]
        return [line for line in lines if line["logger"] == "cityhall.tasks"]

    def tasks_named(*names: str) -> list[dict]:
        lines = task_lines()
        return lines if all(any(line["task"] == name for line in lines) for name in names) else []

    # The commit's announcement, then the listeners' tasks it queued, all under the request's id.
    wait_for(
        lambda: tasks_named("cityhall.requests.tasks.announce_events", "cityhall.notifications.tasks.notify_events")
    )
    (request_line,) = [
        line for line in json_lines(log) if line["logger"] == "cityhall.http" and line["request_id"] == "serve-report-1"
    ]
    assert request_line["method"] == "POST" and request_line["status"] == 200
    assert request_line["route"] == "open311-requests"
    assert request_line["queries"] > 0 and request_line["database_ms"] >= 0
    # Django logs a 404 with the request as an extra field: its query string is not written out either.
    assert fetch(port, "/open311/v2/requests/99999999.json?api_key=leak-check-123")[0] == 404
    # The route, never the path or the form: no key, no address in any line.
    written = log.read_text()
    assert key not in written and "r@example.org" not in written and "leak-check-123" not in written


def test_metrics_add_up_every_process(served):
    port, key, _, data_dir = served
    assert not (data_dir / "metrics" / "counter_999999.db").exists()  # emptied at start
    route = (("method", "GET"), ("route", "open311-services"), ("status", "200"))
    before = scrape(port).get(("cityhall_http_request_duration_seconds_count", route), 0)
    for _ in range(20):
        assert fetch(port, "/open311/v2/services.json")[0] == 200
    # Whichever of gunicorn's workers answers the scrape, it reports all of them.
    for _ in range(4):
        assert scrape(port)[("cityhall_http_request_duration_seconds_count", route)] == before + 20
    # The task worker is a process of its own: its timings reach /metrics too.
    post_report(port, key, "serve-report-2")
    notified = (("status", "SUCCESSFUL"), ("task", "cityhall.notifications.tasks.notify_events"))
    wait_for(lambda: scrape(port).get(("cityhall_task_duration_seconds_count", notified), 0) >= 1)
