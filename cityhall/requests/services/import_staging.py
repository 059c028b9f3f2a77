"""The importer's way in on PostgreSQL: COPY into staging tables, then set-based SQL.

The rows arrive mapped and checked (imports.py does that for every database, in one place); here
a batch's requests and their events are COPYed into two temporary tables, and three statements do
the rest for the whole batch at once: which public ids are taken by another request, then one
INSERT … SELECT of the requests that is also, through its RETURNING, the INSERT … SELECT of their
events. The row-by-row way (an executemany per table, and a query to learn each request's key)
cost a round trip per row: on PostgreSQL that was most of an import's time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper

from cityhall.core.bulk import columns_of, row_values

from ..models import RequestEvent, ServiceRequest

# Temporary tables live in the session's own schema: no other connection sees them.
_REQUESTS, _EVENTS = "import_staging_requests", "import_staging_events"


class Staging:
    """A connection's staging tables for one import; `write` puts one batch in (inside the caller's transaction)."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        quote = connection.ops.quote_name
        self.request_columns = [quote(field.column) for field in columns_of(ServiceRequest)]
        # The request's key comes from the INSERT; the rest as the events were built.
        self.event_columns = [
            quote(field.column) for field in columns_of(RequestEvent) if field.attname != "request_id"
        ]
        self.requests_table = quote(ServiceRequest._meta.db_table)
        self.request_key = quote(ServiceRequest._meta.pk.column)
        event_fields = columns_of(RequestEvent)
        self._request_key = [field.attname for field in event_fields].index("request_id")
        self.event_request = quote(event_fields[self._request_key].column)
        self.events_table = quote(RequestEvent._meta.db_table)

    def create(self) -> None:
        requests, events = ", ".join(self.request_columns), ", ".join(self.event_columns)
        with self.connection.cursor() as cursor:
            # Column types copied from the real tables, without their constraints or indexes; the
            # position keeps the file's order (ids are handed out in it) and external_id ties
            # each event to its request.
            cursor.execute(
                f"CREATE TEMPORARY TABLE {_REQUESTS} AS SELECT 0 AS position, {requests} "  # noqa: S608
                f"FROM {self.requests_table} WITH NO DATA"
            )
            cursor.execute(
                f"CREATE TEMPORARY TABLE {_EVENTS} AS SELECT 0 AS position, "  # noqa: S608
                f"''::varchar AS external_id, {events} FROM {self.events_table} WITH NO DATA"
            )

    def drop(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {_REQUESTS}, {_EVENTS}")

    def write(self, rows: list[tuple[dict[str, Any], list[dict[str, Any]]]]) -> set[str]:
        """Insert requests with their events (built without `request_id`); return the public ids found taken.

        A request whose public id another request holds is left out, with its events.
        """
        requests, events = ", ".join(self.request_columns), ", ".join(f"e.{column}" for column in self.event_columns)
        with self.connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {_REQUESTS}, {_EVENTS}")
            raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no COPY
            with raw.copy(f"COPY {_REQUESTS} (position, {requests}) FROM STDIN") as copy:
                values = row_values(ServiceRequest, (service_request for service_request, _ in rows))
                for position, row in enumerate(values):
                    copy.write_row([position, *row])
            keys = [service_request["external_id"] for service_request, timeline in rows for _ in timeline]
            timelines = (event for _, timeline in rows for event in timeline)
            with raw.copy(
                f"COPY {_EVENTS} (position, external_id, {', '.join(self.event_columns)}) FROM STDIN"
            ) as copy:
                for position, (external_id, row) in enumerate(
                    zip(keys, row_values(RequestEvent, timelines), strict=True)
                ):
                    del row[self._request_key]
                    copy.write_row([position, external_id, *row])
            cursor.execute(
                f"SELECT s.public_id FROM {_REQUESTS} s JOIN {self.requests_table} r USING (public_id)"  # noqa: S608
            )
            taken = {public_id for (public_id,) in cursor.fetchall()}
            # The requests in the file's order, then their events in theirs (created_at ties are read by id).
            cursor.execute(
                f"WITH inserted AS (INSERT INTO {self.requests_table} ({requests}) "  # noqa: S608
                f"SELECT {requests} FROM {_REQUESTS} s WHERE NOT EXISTS "
                f"(SELECT FROM {self.requests_table} r WHERE r.public_id = s.public_id) ORDER BY s.position "
                f"RETURNING {self.request_key}, external_id) "
                f"INSERT INTO {self.events_table} ({self.event_request}, {', '.join(self.event_columns)}) "
                f"SELECT inserted.{self.request_key}, {events} FROM {_EVENTS} e "
                "JOIN inserted USING (external_id) ORDER BY e.position"
            )
        return taken


@contextmanager
def staging_tables() -> Iterator[Staging]:
    """The staging tables of the connection that writes requests, dropped at the end."""
    staging = Staging(connections[router.db_for_write(ServiceRequest)])
    staging.create()
    try:
        yield staging
    finally:
        staging.drop()
