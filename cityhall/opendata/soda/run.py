"""Run a SoQL query on the site's database, within a time limit, over a dataset's public source.

The limit (`CITYHALL_SODA_TIMEOUT_MS`) is PostgreSQL's `statement_timeout` for the one statement,
and on SQLite a progress handler that interrupts the statement once the time has passed: either
way a slow scan stops and the caller answers a timeout instead of holding a worker.

A page (`answer`) is read whole; a file (`stream`) is read from a server-side cursor a batch at a
time, every database step of it (the query, each batch) under the same limit. The query and its
first batch run before `stream` returns, so a refusal or a timeout is still an answer of its own.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, DataError, ProgrammingError, connection, transaction

from cityhall.catalogue.selectors import site_city
from cityhall.opendata.registry import Dataset
from cityhall.opendata.soql import (
    Compiled,
    Dialect,
    Output,
    SoqlColumn,
    SoqlError,
    compile_query,
    query_from_params,
)
from cityhall.opendata.soql.errors import UNSUPPORTED

logger = logging.getLogger(__name__)
# SQLite calls the progress handler every this many virtual-machine steps (a few microseconds each).
SQLITE_PROGRESS_STEPS = 1000
STREAM_BATCH = 2_000  # rows a streamed file reads from the database at a time


class QueryTimeout(Exception):
    """The query ran past CITYHALL_SODA_TIMEOUT_MS and was stopped."""


@dataclass
class Answer:
    outputs: list[Output]
    rows: list[tuple[Any, ...]]
    dialect: Dialect


def soql_columns(dataset: Dataset) -> list[SoqlColumn]:
    return [
        SoqlColumn(column.name, column.type, column.sql_latitude, column.sql_longitude, floating=column.day)
        for column in dataset.columns
    ]


def dialect() -> Dialect:
    city = site_city()
    return Dialect(connection.vendor, city.timezone if city else "UTC")


def timeout_ms() -> int:
    return int(settings.CITYHALL_SODA_TIMEOUT_MS)


@dataclass
class Stream:
    outputs: list[Output]
    rows: Iterator[tuple[Any, ...]]
    dialect: Dialect


def answer(dataset: Dataset, params: Mapping[str, str]) -> Answer:
    """The rows `params` ask of `dataset`; SoqlError for a query we refuse, QueryTimeout when it runs too long."""
    compiled, chosen = _compiled(dataset, params, paged=True)
    with _refusals(compiled), transaction.atomic(), _time_limit(timeout_ms()), connection.cursor() as cursor:
        cursor.execute(compiled.sql, compiled.params)
        rows = cursor.fetchall()
    return Answer(compiled.outputs, rows, chosen)


def stream(dataset: Dataset, params: Mapping[str, str]) -> Stream:
    """Every row `params` ask of `dataset` (no page limit), read a batch at a time; refusals as `answer`'s."""
    compiled, chosen = _compiled(dataset, params, paged=False)
    cursor = connection.chunked_cursor()
    try:
        # The limit is put back after the transaction ends, so a stopped query cannot leave it unrestorable.
        with _refusals(compiled), _session_time_limit(timeout_ms()), transaction.atomic():
            cursor.execute(compiled.sql, compiled.params)
            first = cursor.fetchmany(STREAM_BATCH)
    except BaseException:
        _close_quietly(cursor)
        raise
    return Stream(compiled.outputs, _batches(cursor, compiled, first), chosen)


def _batches(cursor: Any, compiled: Compiled, first: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    # A timeout here comes after the answer began: the error ends the response unfinished, so the
    # client sees a broken transfer, never a file that looks whole.
    try:
        batch = first
        while batch:
            yield from batch
            with _refusals(compiled), _session_time_limit(timeout_ms()):
                batch = cursor.fetchmany(STREAM_BATCH)
    finally:
        _close_quietly(cursor)


def _close_quietly(cursor: Any) -> None:
    """Close a streamed cursor even after its query failed, when PostgreSQL has already dropped it: the
    CLOSE then fails, in a savepoint of its own so an enclosing transaction carries on."""
    # The driver's own error, as Django's (closing is not among the calls Django translates).
    with suppress(DatabaseError), transaction.atomic(), connection.wrap_database_errors:
        cursor.close()


def _compiled(dataset: Dataset, params: Mapping[str, str], *, paged: bool) -> tuple[Compiled, Dialect]:
    columns = soql_columns(dataset)
    query = query_from_params(params, columns)
    chosen = dialect()
    return compile_query(query, columns, unordered(dataset.source()), chosen, dataset.order_by, paged=paged), chosen


@contextmanager
def _refusals(compiled: Compiled) -> Iterator[None]:
    """Database errors a client's query can cause, as SoqlError or QueryTimeout."""
    try:
        yield
    except (DataError, ProgrammingError) as error:
        # Arithmetic past the database's range (DataError); a ProgrammingError is a query the
        # compiler should have refused: logged as our fault, but still a client's 400, never a 500.
        if isinstance(error, ProgrammingError):
            logger.exception("SoQL compiled to SQL the database refused: %s", compiled.sql)
        raise SoqlError(UNSUPPORTED, f"The database could not compute this query: {_first_line(error)}") from None
    except DatabaseError as error:
        if _was_stopped(error):
            raise QueryTimeout from None
        raise


def unordered(source: tuple[str, list[object]]) -> tuple[str, list[object]]:
    """The source without its closing ORDER BY: the query orders its own rows, and PostgreSQL cannot
    flatten an ordered subquery, so it would sort the whole table before filtering it."""
    sql, params = source
    head, found, tail = sql.rpartition(" ORDER BY ")
    if found and not any(mark in tail for mark in (")", "%s", "'")):
        return head, params
    return sql, params


@contextmanager
def _time_limit(milliseconds: int) -> Iterator[None]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('statement_timeout'), set_config('statement_timeout', %s, true)",
                [f"{milliseconds}ms"],
            )
            (before, _) = cursor.fetchone()
        yield
        with connection.cursor() as cursor:  # an enclosing transaction (a test's) keeps its own limit
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [before])
        return
    connection.ensure_connection()
    deadline = time.monotonic() + milliseconds / 1000
    raw = connection.connection
    raw.set_progress_handler(lambda: int(time.monotonic() > deadline), SQLITE_PROGRESS_STEPS)
    try:
        yield
    finally:
        raw.set_progress_handler(None, SQLITE_PROGRESS_STEPS)


@contextmanager
def _session_time_limit(milliseconds: int) -> Iterator[None]:
    """The time limit for one step of a stream, which runs outside a transaction: on PostgreSQL for the
    session, put back after the step (a streamed cursor in autocommit computes its rows in the query
    step, so that step is the one the limit stops)."""
    if connection.vendor != "postgresql":
        with _time_limit(milliseconds):
            yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('statement_timeout'), set_config('statement_timeout', %s, false)",
            [f"{milliseconds}ms"],
        )
        (before, _) = cursor.fetchone()
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, false)", [before])


def _first_line(error: Exception) -> str:
    return (str(error).splitlines() or [""])[0][:120]


def _was_stopped(error: DatabaseError) -> bool:
    cause = error.__cause__
    if connection.vendor == "postgresql":
        return getattr(cause, "sqlstate", None) == "57014"  # query_canceled: statement_timeout
    return "interrupted" in str(cause or error)
