"""Each Open311 read runs a pinned number of queries, the same whatever the page size.

A read that grows a query fails here, where it is looked at, rather than under load
(bench/open311_load.py). On SQLite the public list's plan is checked too: it reads its page in
order from an index instead of sorting every request, which once cost each list 26-43 ms on the
demo whatever its page size (bench/open311_plans.py prints the plans; docs/open311.md).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from cityhall.core import clock
from cityhall.requests.models import RequestEvent
from cityhall.requests.tests.builders import CITY_HALL

from .helpers import BASE, bulk_requests, created_id, describe, report

pytestmark = pytest.mark.django_db

LAT, LNG = CITY_HALL
LISTS: dict[str, dict[str, Any]] = {
    "no filter": {},
    "status and service": {"status": "open", "service_code": "potholes"},
    "bounding box": {"bbox": f"{LNG - 0.01},{LAT - 0.01},{LNG + 0.01},{LAT + 0.01}"},
    "radius": {"lat": LAT, "long": LNG, "radius": 300},
    "extensions": {"extensions": "true"},
}
# Each read's queries once the per-process caches (jurisdiction, catalogue) are warm: the list's one
# query, with extensions the page's photos and timelines, by id the same, updates with their photos.
READS: dict[str, tuple[str, dict[str, Any], int]] = {
    **{f"list, {name}": ("requests.json", query, 3 if name == "extensions" else 1) for name, query in LISTS.items()},
    "request by id": ("requests/{id}.json", {}, 1),
    "request by id, extensions": ("requests/{id}.json", {"extensions": "true"}, 3),
    "updates": ("servicerequestupdates.json", {}, 1),
    "services": ("services.json", {}, 0),  # rendered once per process every few seconds
}
PAGE = 30


@pytest.fixture
def requests_with_updates(service) -> str:
    """A page and more of open potholes near City Hall, each with a public update; the newest's id."""
    rows = bulk_requests(service("potholes"), PAGE + 5)
    now = clock.now()
    RequestEvent.objects.bulk_create([RequestEvent(request=row, created_at=now, kind="submitted") for row in rows])
    return rows[0].public_id


def queries_of(client: Any, resource: str, query: dict[str, Any]) -> list[dict[str, str]]:
    client.get(f"{BASE}{resource}", query)  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{BASE}{resource}", query)
    assert response.status_code == 200, describe(response)
    assert response.json(), "the read found nothing, so it proves nothing"
    return queries.captured_queries


@pytest.mark.parametrize("name", READS)
def test_each_read_runs_its_pinned_number_of_queries(client, requests_with_updates, name):
    resource, query, expected = READS[name]
    ran = queries_of(client, resource.format(id=requests_with_updates), query)
    assert len(ran) == expected, [item["sql"][:120] for item in ran]


@pytest.mark.parametrize("name", LISTS)
def test_a_list_runs_as_many_queries_for_one_row_as_for_a_page(client, requests_with_updates, name):
    counts = {}
    for size in (PAGE, 1):
        counts[size] = len(queries_of(client, "requests.json", {**LISTS[name], "page_size": size}))
    assert counts[1] == counts[PAGE], counts


@pytest.mark.parametrize("name", LISTS)
def test_on_sqlite_a_list_reads_its_page_from_an_index_without_sorting_the_table(client, requests_with_updates, name):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL plans by its statistics, which a test's few rows do not resemble; see bench/")
    sql = queries_of(client, "requests.json", {**LISTS[name], "page_size": 1})[0]["sql"]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = [row[-1] for row in cursor.fetchall()]
    assert all(step.startswith("SEARCH r USING") for step in plan[:1]), plan
    assert not any(step.startswith("SCAN") for step in plan), plan
    if name == "radius":  # the circle's few cells are read from their index, then their rows sorted
        assert "INDEX request_cell_recent" in plan[0], plan
    else:  # the page in order, newest first: nothing sorted, so one row costs less than a page
        assert not any("TEMP B-TREE" in step for step in plan), plan


# A POST's statements: the key and its minute's count, then in one transaction (a savepoint here, inside
# the test's own) the request (a public id's clash answered by ON CONFLICT, core/bulk.insert_instance),
# its events and the one task that announces them. 9 while a savepoint guarded the public id; 12 when
# each listener queued a task of its own after the commit.
POST_QUERIES = 7


def test_a_post_runs_its_pinned_queries_and_queues_one_task(client, key, django_capture_on_commit_callbacks):
    form = report(api_key=key, email="someone@example.org")
    with clock.travel(clock.now()):  # one minute for both calls: the first of a minute stamps the key too
        client.post(f"{BASE}requests.json", form)  # warm the per-process caches and the minute's counter
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"{BASE}requests.json", form)
    created_id(response)
    statements = [query["sql"] for query in queries.captured_queries]
    tasks = [sql for sql in statements if sql.startswith(f'INSERT INTO "{DBTaskResult._meta.db_table}"')]
    assert len(tasks) == 1, "\n".join(statements)  # one announcement, whatever listens to it
    assert len(statements) == POST_QUERIES, "\n".join(statements)
