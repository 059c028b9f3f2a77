"""A SODA request's parameters → one `ast.Query`: the $-parameters, simple column filters, or $query."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from . import ast
from .compiler import SoqlColumn
from .errors import BAD_LIMIT, BAD_OFFSET, MALFORMED, NO_SUCH_COLUMN, TYPE_MISMATCH, SoqlError
from .parser import parse_count, parse_expr, parse_group, parse_order, parse_query, parse_select

CLAUSES = ("$select", "$where", "$group", "$having", "$order", "$limit", "$offset", "$q")


def query_from_params(params: Mapping[str, str], columns: list[SoqlColumn]) -> ast.Query:
    """The query a SODA request asks for. `$$`-parameters (`$$app_token`…) are accepted and ignored."""
    by_name = {column.name: column for column in columns}
    clauses: dict[str, str] = {}
    filters: list[ast.Expr] = []
    for name, value in params.items():
        if name.startswith("$$"):
            continue
        if name.startswith("$"):
            if name not in (*CLAUSES, "$query"):
                raise SoqlError(MALFORMED, f"Unrecognized parameter {name[:40]}")
            clauses[name] = value
        else:
            filters.append(_filter(name, value, by_name))
    if "$query" in clauses:
        if len(clauses) > 1:
            raise SoqlError(MALFORMED, "$query cannot be combined with other $-parameters", parameter="$query")
        query: ast.Query = _located("$query", parse_query, clauses["$query"])
    else:
        query = _from_clauses(clauses)
    if filters:
        where = query.where
        for condition in filters:
            where = condition if where is None else ast.Binary("and", where, condition)
        query = dataclasses.replace(query, where=where)
    return query


def _located(parameter: str, parse, text: str):  # type: ignore[no-untyped-def]
    try:
        return parse(text)
    except SoqlError as error:
        raise error.located(parameter) from None


def _from_clauses(clauses: dict[str, str]) -> ast.Query:
    limit = offset = None
    if "$limit" in clauses:
        limit = parse_count(clauses["$limit"].strip(), "$limit", BAD_LIMIT)
    if "$offset" in clauses:
        offset = parse_count(clauses["$offset"].strip(), "$offset", BAD_OFFSET)
    present = {name: text for name, text in clauses.items() if text.strip()}
    return ast.Query(
        select=_located("$select", parse_select, present["$select"]) if "$select" in present else (),
        where=_located("$where", parse_expr, present["$where"]) if "$where" in present else None,
        group=_located("$group", parse_group, present["$group"]) if "$group" in present else (),
        having=_located("$having", parse_expr, present["$having"]) if "$having" in present else None,
        order=_located("$order", parse_order, present["$order"]) if "$order" in present else (),
        limit=limit,
        offset=offset,
        search=clauses.get("$q") or None,
    )


def _filter(name: str, value: str, columns: dict[str, SoqlColumn]) -> ast.Expr:
    """`?status=closed`: the column equals the value, read in the column's type."""
    column = columns.get(name)
    if column is None:
        raise SoqlError(NO_SUCH_COLUMN, f"No such column: {name[:60]}")
    if column.type == "point":
        raise SoqlError(TYPE_MISMATCH, f"{name} is a location; filter it with within_circle or within_box in $where")
    if column.type == "number":
        literal = ast.Literal(value.strip(), "number")
    elif column.type == "checkbox":
        if value.strip().lower() not in ("true", "false"):
            raise SoqlError(TYPE_MISMATCH, f"{name} is true or false, not {value[:40]!r}")
        literal = ast.Literal(value.strip().lower() == "true", "boolean")
    else:
        literal = ast.Literal(value, "text")
    return ast.Binary("=", ast.Column(name), literal)
