"""Run a SoQL query on the site's database, within a time limit, over a dataset's public source.

The limit (`CITYHALL_SODA_TIMEOUT_MS`) is PostgreSQL's `statement_timeout` for the one statement,
and on SQLite a progress handler that interrupts the statement once the time has passed: either
way a slow scan stops and the caller answers a timeout instead of holding a worker.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, DataError, ProgrammingError, connection, transaction

from cityhall.catalogue.lookup import site_city
from cityhall.opendata.registry import Dataset
from cityhall.opendata.soql import Dialect, Output, SoqlColumn, SoqlError, compile_query, query_from_params
from cityhall.opendata.soql.errors import UNSUPPORTED

logger = logging.getLogger(__name__)
# SQLite calls the progress handler every this many virtual-machine steps (a few microseconds each).
SQLITE_PROGRESS_STEPS = 1000


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


def answer(dataset: Dataset, params: Mapping[str, str]) -> Answer:
    """The rows `params` ask of `dataset`; SoqlError for a query we refuse, QueryTimeout when it runs too long."""
    columns = soql_columns(dataset)
    query = query_from_params(params, columns)
    chosen = dialect()
    compiled = compile_query(query, columns, unordered(dataset.source()), chosen, dataset.order_by)
    try:
        with transaction.atomic(), _time_limit(timeout_ms()), connection.cursor() as cursor:
            cursor.execute(compiled.sql, compiled.params)
            rows = cursor.fetchall()
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
    return Answer(compiled.outputs, rows, chosen)


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


def _first_line(error: Exception) -> str:
    return (str(error).splitlines() or [""])[0][:120]


def _was_stopped(error: DatabaseError) -> bool:
    cause = error.__cause__
    if connection.vendor == "postgresql":
        return getattr(cause, "sqlstate", None) == "57014"  # query_canceled: statement_timeout
    return "interrupted" in str(cause or error)
