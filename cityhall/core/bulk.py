"""Fast writes for large imports (an INSERT of many rows, or a COPY's), of values already of their column's type."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
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
    with connection.cursor() as cursor:
        cursor.executemany(_insert_sql(model, connection.vendor, 1), list(row_values(model, rows)))


def columns_of(model: type[Model]) -> list[Field[Any, Any]]:
    """The columns a bulk write gives: every one but an auto-increment key (a key that is a relation is given)."""
    return [column for column in model._meta.concrete_fields if not isinstance(column, AutoFieldMixin)]


def row_values(model: type[Model], rows: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
    """Each row's values in the order of `columns_of(model)`, ready for the database (an INSERT or a COPY)."""
    connection = connections[router.db_for_write(model)]
    fields = columns_of(model)
    names = [column.attname for column in fields]
    special = [(index, column) for index, column in enumerate(fields) if column.get_internal_type() not in _PLAIN_TYPES]
    known = set(names)
    # Left-out columns take their default, prepared once, when a row first leaves one out (a whole
    # instance leaves none: preparing every default cost a POST as much as its row).
    defaults: dict[str, Any] | None = None
    moments = {index for index, column in special if column.get_internal_type() == "DateTimeField"}
    prepared: dict[tuple[int, datetime], Any] = {}  # imports repeat the same dates thousands of times
    for row in rows:
        unknown = row.keys() - known
        assert not unknown, f"not columns of {model.__name__}: {unknown}"
        if len(row) < len(names):
            if defaults is None:
                defaults = {field.attname: field.get_db_prep_save(field.get_default(), connection) for field in fields}
            values = [*map((defaults | row).__getitem__, names)]
        else:
            values = [*map(row.__getitem__, names)]
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


def insert_instance(instance: Model, *, unless_taken: str | None = None) -> bool:
    """INSERT a new model instance and give it its key, as save() would; with `unless_taken`, a unique
    column's attname, write nothing and return False when another row holds the instance's value.

    save() compiles its INSERT anew each time, and a write that may collide needs a savepoint around
    it: together a fifth of an Open311 POST on SQLite. Here the statement is written once per model,
    and `ON CONFLICT … DO NOTHING` (SQLite and PostgreSQL alike) answers the collision. No model
    signal is sent: models written this way have no receivers.
    """
    model = type(instance)
    connection = connections[router.db_for_write(model)]
    conflict = ""
    if unless_taken is not None:
        column = model._meta.get_field(unless_taken).column  # type: ignore[union-attr]
        conflict = f" ON CONFLICT ({connection.ops.quote_name(str(column))}) DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(
            _insert_sql(model, connection.vendor, 1) + conflict + _returning(model, connection),
            next(row_values(model, [_row_of(instance)])),
        )
        found = cursor.fetchone()
    if found is None:
        return False
    _saved_as(instance, found[0], connection.alias)
    return True


def insert_instances(instances: Sequence[Model]) -> None:
    """INSERT new instances of one model in one statement and give each its key, as bulk_create would
    (SQLite and PostgreSQL return a VALUES list's keys in its order, which bulk_create relies on too)."""
    model = type(instances[0])
    connection = connections[router.db_for_write(model)]
    params = [value for values in row_values(model, map(_row_of, instances)) for value in values]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(model, connection.vendor, len(instances)) + _returning(model, connection), params)
        keys = [key for (key,) in cursor.fetchall()]
    for instance, key in zip(instances, keys, strict=True):
        _saved_as(instance, key, connection.alias)


def _row_of(instance: Model) -> dict[str, Any]:
    return {field.attname: getattr(instance, field.attname) for field in columns_of(type(instance))}


def _saved_as(instance: Model, key: Any, alias: str) -> None:
    instance.pk = key
    instance._state.adding = False  # saved: a later save() updates the row
    instance._state.db = alias


@functools.cache
def _insert_sql(model: type[Model], vendor: str, count: int) -> str:
    """INSERT INTO table (columns) VALUES (…), … for `count` rows of `columns_of(model)`, written once."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = columns_of(model)
    into = f"{quote(model._meta.db_table)} ({', '.join(quote(column.column) for column in fields)})"
    one = f"({', '.join(['%s'] * len(fields))})"
    # Only quoted names from the model's metadata go into the SQL; every value is a parameter.
    return f"INSERT INTO {into} VALUES {', '.join([one] * count)}"  # noqa: S608


def _returning(model: type[Model], connection: Any) -> str:
    return f" RETURNING {connection.ops.quote_name(model._meta.pk.column)}"
