"""The importer's way in on PostgreSQL: COPY into a staging table, then set-based SQL.

The rows arrive mapped and checked (imports.py does that for every database, in one place); here a
batch's requests are COPYed, as they were built and with the note of their arrival, into a
temporary table, and two statements do the rest for the whole batch at once: which public ids are
taken by another request, then one INSERT … SELECT of the requests that is also, through its
RETURNING, the INSERT … SELECT of their timelines, made in SQL from each request's columns as
`imports._events` makes them for the other way in (a test compares the two, column by column).
The row-by-row way (an executemany per table, and a query to learn each request's key) cost a
round trip per row; building each event in Python and COPYing it cost more than the request.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper

from cityhall.core.bulk import columns_of

from ..models import RequestEvent, ServiceRequest
from ..workflow import Role, Status

# Temporary tables live in the session's own schema: no other connection sees them.
_REQUESTS = "import_staging_requests"
_SYSTEM, _SUBMITTED, _CLOSED = Role.SYSTEM.value, Status.SUBMITTED.value, Status.CLOSED.value
_IMPORTED, _TRANSITION = RequestEvent.Kind.IMPORTED.value, RequestEvent.Kind.TRANSITION.value
# The timeline of an imported request (imports._events): its arrival, then, unless it is still
# "submitted", one event for the status it reached, at its resolution date if it has one; the
# source's resolution text is the public note of the last event.
_TIMELINES = """
    SELECT inserted.{key}, step.created_at, step.kind, step.action, %(system)s, step.from_status,
           step.to_status, step.public_note, step.internal_note, step.data, NULL
    FROM inserted JOIN {staging} s USING (external_id)
    CROSS JOIN LATERAL (VALUES
        (0, s.requested_at, %(imported)s, '', '', %(submitted)s,
         CASE WHEN s.resolved_at IS NULL AND s.status = %(submitted)s THEN s.status_note ELSE '' END,
         s.import_note,
         jsonb_build_object('source', s.import_source, 'external_id', s.external_id)),
        (1, COALESCE(s.resolved_at, s.updated_at), %(transition)s,
         CASE WHEN s.resolved_at IS NULL THEN '' WHEN s.status = %(closed)s THEN 'close' ELSE 'resolve' END,
         %(submitted)s, s.status, s.status_note, '',
         CASE WHEN s.resolved_at IS NULL THEN jsonb_build_object('source_status', 'imported')
              ELSE jsonb_build_object('resolution', s.resolution) END)
    ) AS step (number, created_at, kind, action, from_status, to_status, public_note, internal_note, data)
    WHERE step.number = 0 OR s.resolved_at IS NOT NULL OR s.status <> %(submitted)s
    ORDER BY s.position, step.number
"""
# _TIMELINES' columns, in its order.
_EVENT_COLUMNS = (
    *("request_id", "created_at", "kind", "action", "actor_role", "from_status", "to_status"),
    *("public_note", "internal_note", "data", "actor_id"),
)
_WORDS = {
    "system": _SYSTEM,
    "imported": _IMPORTED,
    "transition": _TRANSITION,
    "submitted": _SUBMITTED,
    "closed": _CLOSED,
}


class Staging:
    """A connection's staging table for one import; `write` puts one batch in (inside the caller's transaction)."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.quote = connection.ops.quote_name
        self.fields = columns_of(ServiceRequest)
        self.requests_table = self.quote(ServiceRequest._meta.db_table)
        self.request_key = self.quote(ServiceRequest._meta.pk.column)
        events = {field.attname: field for field in columns_of(RequestEvent)}
        # A new column of RequestEvent must be given its value in _TIMELINES.
        assert events.keys() == set(_EVENT_COLUMNS), f"RequestEvent's columns changed: {sorted(events)}"
        names = ", ".join(self.quote(events[name].column) for name in _EVENT_COLUMNS)
        self.events_into = f"{self.quote(RequestEvent._meta.db_table)} ({names})"

    def create(self) -> None:
        columns = ", ".join(self.quote(field.column) for field in self.fields)
        with self.connection.cursor() as cursor:
            # Column types copied from the real table, without its constraints or indexes; the
            # position keeps the file's order (ids are handed out in it).
            cursor.execute(
                f"CREATE TEMPORARY TABLE {_REQUESTS} AS SELECT 0 AS position, ''::text AS import_note, "  # noqa: S608
                f"{columns} FROM {self.requests_table} WITH NO DATA"
            )

    def drop(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {_REQUESTS}")

    def present(self, source: str, external_ids: list[str]) -> set[str]:
        """Which of the ids the source's requests already have, in one query (the ids as one array).

        The other way in asks with IN (…) and a parameter per id, which psycopg quotes into the
        SQL on the client: for a batch, more time than the rest of its checks.
        """
        with self.connection.cursor() as cursor:
            # The partial unique index on (import_source, external_id) holds only non-empty sources.
            cursor.execute(
                f"SELECT external_id FROM {self.requests_table} WHERE import_source = %s "  # noqa: S608
                "AND NOT import_source = '' AND external_id = ANY(%s)",
                [source, external_ids],
            )
            return {external_id for (external_id,) in cursor.fetchall()}

    def write(self, names: Sequence[str], rows: list[tuple[Sequence[Any], str]]) -> set[str]:
        """Insert requests (values in the order of `names`, attnames) with their timelines; return the public ids taken.

        Each row comes with the internal note of its arrival. Columns not named take their
        default. A request whose public id another request holds is left out, with its events.
        """
        by_name = {field.attname: field for field in self.fields}
        given = [self.quote(by_name[name].column) for name in names]
        rest = [field for field in self.fields if field.attname not in set(names)]
        defaults = [field.get_db_prep_save(field.get_default(), self.connection) for field in rest]
        columns = ", ".join(given + [self.quote(field.column) for field in rest])
        selected = ", ".join([f"s.{column}" for column in given] + [f"%(default{n})s" for n in range(len(rest))])
        with self.connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {_REQUESTS}")
            raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no COPY
            with raw.copy(f"COPY {_REQUESTS} (position, import_note, {', '.join(given)}) FROM STDIN") as copy:
                for position, (values, note) in enumerate(rows):
                    copy.write_row((position, note, *values))
            # Autovacuum never sees a temporary table: without fresh statistics the planner takes
            # the batch for one row and joins it to itself row by row (quadratic: seconds a batch).
            cursor.execute(f"ANALYZE {_REQUESTS}")
            cursor.execute(
                f"SELECT s.public_id FROM {_REQUESTS} s JOIN {self.requests_table} r USING (public_id)"  # noqa: S608
            )
            taken = {public_id for (public_id,) in cursor.fetchall()}
            # The requests in the file's order, then their events in theirs (created_at ties are read by id).
            # Only quoted names from the models' metadata go into the SQL; every value is a parameter.
            timelines = _TIMELINES.format(key=self.request_key, staging=_REQUESTS)
            cursor.execute(
                f"WITH inserted AS (INSERT INTO {self.requests_table} ({columns}) "  # noqa: S608
                f"SELECT {selected} FROM {_REQUESTS} s WHERE NOT EXISTS "
                f"(SELECT FROM {self.requests_table} r WHERE r.public_id = s.public_id) ORDER BY s.position "
                f"RETURNING {self.request_key}, external_id) "
                f"INSERT INTO {self.events_into} {timelines}",
                {**{f"default{index}": value for index, value in enumerate(defaults)}, **_WORDS},
            )
        return taken


@contextmanager
def staging_tables() -> Iterator[Staging]:
    """The staging table of the connection that writes requests, dropped at the end."""
    staging = Staging(connections[router.db_for_write(ServiceRequest)])
    staging.create()
    try:
        yield staging
    finally:
        staging.drop()
