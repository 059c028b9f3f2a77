"""Fast writes for large imports (an INSERT of many rows, or a COPY's), of values already of their column's type."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from django.db import connections, router
from django.db.models import Field, Model
from django.db.models.fields import AutoFieldMixin

# Columns whose values are stored as the Python value itself (str, int, float, bool, None) on every backend.
_PLAIN_TYPES = {
    *(
        "CharField",
        "TextField",
        "SlugField",
        "BooleanField",
        "FloatField",
        "ForeignKey",
        "OneToOneField",
        "IntegerField",
    ),
    *("BigIntegerField", "SmallIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField"),
}

_PREPARED_LIMIT = 100_000  # dates kept prepared: a file of timestamps to the second repeats few


def insert_rows(model: type[Model], rows: list[dict[str, Any]]) -> None:
    """INSERT rows given as {attname: value}, other columns taking their field default, in one executemany.

    bulk_create sends every value through the SQL compiler, which cost more than all the rest of an
    import (the Santa Monica file ran at ~1,100 rows/s). Values built here already have their
    column's Python type, so only the columns the backend adapts (dates, JSON…) are prepared.
    """
    connection = connections[router.db_for_write(model)]
    fields = columns_of(model)
    quote = connection.ops.quote_name
    into = f"{quote(model._meta.db_table)} ({', '.join(quote(column.column) for column in fields)})"
    with connection.cursor() as cursor:
        # Only quoted names from the model's metadata go into the SQL; every value is a parameter.
        sql = f"INSERT INTO {into} VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
        cursor.executemany(sql, list(row_values(model, rows)))


def columns_of(model: type[Model]) -> list[Field[Any, Any]]:
    """The columns a bulk write gives: every one but an auto-increment key (a key that is a relation is given)."""
    return [column for column in model._meta.concrete_fields if not isinstance(column, AutoFieldMixin)]


def row_values(model: type[Model], rows: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
    """Each row's values in the order of `columns_of(model)`, ready for the database (an INSERT or a COPY)."""
    connection = connections[router.db_for_write(model)]
    fields = columns_of(model)
    names = [column.attname for column in fields]
    special = [(index, column) for index, column in enumerate(fields) if column.get_internal_type() not in _PLAIN_TYPES]
    # Left-out columns take their default, prepared here once.
    defaults = {column.attname: column.get_db_prep_save(column.get_default(), connection) for column in fields}
    moments = {index for index, column in special if column.get_internal_type() == "DateTimeField"}
    prepared: dict[tuple[int, datetime], Any] = {}  # imports repeat the same dates thousands of times
    for row in rows:
        unknown = row.keys() - defaults.keys()
        assert not unknown, f"not columns of {model.__name__}: {unknown}"
        values = [*map((defaults | row).__getitem__, names)]
        for index, column in special:
            if column.attname not in row:
                continue
            value = values[index]
            if index in moments and isinstance(value, datetime) and value.tzinfo is not None:
                # An aware datetime needs only the backend's adaptation (the field's own checks are
                # for naive ones, and cost more than the rest of the row on PostgreSQL).
                if (index, value) not in prepared:
                    if len(prepared) > _PREPARED_LIMIT:
                        prepared.clear()
                    prepared[index, value] = connection.ops.adapt_datetimefield_value(value)
                values[index] = prepared[index, value]
            else:
                values[index] = column.get_db_prep_save(value, connection)
        yield values
