"""The whole SELECT: output columns, WHERE with $q, GROUP BY, HAVING, ORDER BY, LIMIT and OFFSET."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from . import ast
from .compiler import Compiled, Compiler, Output, SoqlColumn, _Typed
from .dialect import Dialect
from .errors import BAD_LIMIT, BAD_OFFSET, MALFORMED, NOT_GROUPED, TYPE_MISMATCH, SoqlError

DEFAULT_LIMIT = 1000  # rows when $limit is not given, as Socrata
MAX_LIMIT = 50_000  # rows a page may ask for; whole datasets are the bulk downloads' work
MAX_OFFSET = 10_000_000  # beyond any dataset: a larger offset is a mistake, refused early
ALL_ROWS = 2**62  # LIMIT for "no limit" with an OFFSET (SQLite needs a LIMIT before OFFSET)


def compile_query(
    query: ast.Query,
    columns: list[SoqlColumn],
    source: tuple[str, list[Any]],
    dialect: Dialect,
    key: tuple[str, ...] = (),
    *,
    paged: bool = True,
) -> Compiled:
    """`SELECT … FROM (<source>) t …` answering `query`, with every value a parameter.

    `key` is the dataset's stable order (its first column if empty): rows that are not grouped
    end up in it after `$order`, so pages read with `$offset` never overlap. A page (`paged`, the
    API) holds `DEFAULT_LIMIT` rows unless `$limit` says otherwise, at most `MAX_LIMIT`; a file
    (not `paged`, a download streamed in constant memory) holds every row unless `$limit` is given.
    """
    compiler = Compiler(columns, dialect)
    items = _expanded(query.select, columns)
    with _in("$select"):
        outputs, select_sql, params = _select(compiler, items)
    sql = f"SELECT {', '.join(select_sql)} FROM ({source[0]}) t"  # noqa: S608 - names from the columns, values bound
    params = list(source[1]) + params
    with _in("$where"):
        conditions, where_params = _where(compiler, query, columns, dialect)
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
        params += where_params
    # $group, $having and $order may name the aliases of $select
    compiler.aliases = {item.alias: item.expr for item in items if item.alias and item.expr is not None}
    group = tuple(_unaliased(expr, compiler.aliases) for expr in query.group)
    grouped = bool(group) or query.having is not None or any(_has_aggregate(item.expr) for item in items if item.expr)
    if grouped:
        _check_grouped("$select", [item.expr for item in items if item.expr is not None], group, {})
        _check_grouped("$order", [order.expr for order in query.order], group, compiler.aliases)
        _check_grouped("$having", [query.having] if query.having is not None else [], group, compiler.aliases)
    if group:
        with _in("$group"):
            typed_group = [_sortable(compiler.expr(expr), expr, "group by") for expr in group]
        sql += " GROUP BY " + ", ".join(typed.sql for typed in typed_group)
        params += [param for typed in typed_group for param in typed.params]
    if query.having is not None:
        with _in("$having"):
            having = compiler.expr(query.having, allow_aggregate=True)
            if having.type not in ("checkbox", "null"):
                raise SoqlError(TYPE_MISMATCH, "$having must be true or false", position=query.having.pos)
        sql += f" HAVING {having.sql}"
        params += list(having.params)
    with _in("$order"):
        order_sql, order_params = _order(compiler, query, outputs, grouped, key)
    sql += order_sql
    params += order_params
    offset = query.offset or 0
    if offset > MAX_OFFSET:
        raise SoqlError(
            BAD_OFFSET, f"$offset must be at most {MAX_OFFSET:,}; narrow the query with $where", parameter="$offset"
        )
    limit = _limit(query.limit, paged)
    if limit is not None or offset:
        sql += " LIMIT %s OFFSET %s"
        params += [ALL_ROWS if limit is None else limit, offset]
    return Compiled(sql, params, outputs)


def _limit(asked: int | None, paged: bool) -> int | None:
    if not paged:
        return asked
    limit = DEFAULT_LIMIT if asked is None else asked
    if limit > MAX_LIMIT:
        raise SoqlError(
            BAD_LIMIT,
            f"$limit must be at most {MAX_LIMIT:,} (asked for {limit:,}); page with $offset, "
            "or download every row as a file from /data/<dataset-id>/download.csv with the same query",
            parameter="$limit",
        )
    return limit


@contextmanager
def _in(parameter: str) -> Iterator[None]:
    """Errors raised inside say which parameter they were found in."""
    try:
        yield
    except SoqlError as error:
        raise error.located(parameter) from None


def _unaliased(expr: ast.Expr, aliases: dict[str, ast.Expr]) -> ast.Expr:
    return aliases.get(expr.name, expr) if isinstance(expr, ast.Column) else expr


def _expanded(select: tuple[ast.SelectItem, ...], columns: list[SoqlColumn]) -> list[ast.SelectItem]:
    items: list[ast.SelectItem] = []
    for item in select or (ast.SelectItem(None),):
        if item.expr is None:
            items.extend(ast.SelectItem(ast.Column(column.name)) for column in columns)
        else:
            items.append(item)
    return items


def _select(compiler: Compiler, items: list[ast.SelectItem]) -> tuple[list[Output], list[str], list[Any]]:
    outputs: list[Output] = []
    sql: list[str] = []
    params: list[Any] = []
    names: set[str] = set()
    for item in items:
        assert item.expr is not None
        typed = compiler.expr(item.expr, allow_aggregate=True)
        name = item.alias or _default_name(item.expr)
        if name in names:
            raise SoqlError(MALFORMED, f"Column {name} is selected twice; give one an alias")
        names.add(name)
        width = 2 if typed.point else 1
        for part in typed.point or (typed.sql,):
            sql.append(f'{part} AS "c{len(sql)}"')
        params += list(typed.params)
        outputs.append(Output(name, "null" if typed.type == "null" else typed.type, width))
    return outputs, sql, params


def _default_name(expr: ast.Expr) -> str:
    """Socrata's name for an unaliased expression: the column, or the function and its columns."""
    if isinstance(expr, ast.Column):
        return expr.name
    if isinstance(expr, ast.Call):
        parts = [expr.name] + [_default_name(arg) for arg in expr.args if isinstance(arg, ast.Column | ast.Call)]
        return "_".join(parts)
    return "expr"


def _where(
    compiler: Compiler, query: ast.Query, columns: list[SoqlColumn], dialect: Dialect
) -> tuple[list[str], list[Any]]:
    conditions, params = [], []
    if query.where is not None:
        where = compiler.expr(query.where)
        if where.type not in ("checkbox", "null"):
            raise SoqlError(TYPE_MISMATCH, "$where must be true or false", position=query.where.pos)
        conditions.append(where.sql)
        params += list(where.params)
    if query.search:
        texts = [column for column in columns if column.type == "text"]
        pattern = "%" + query.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        matches = [f"""t."{column.name}" {dialect.like()} %s ESCAPE '\\'""" for column in texts]
        conditions.append("(" + " OR ".join(matches or ["1 = 0"]) + ")")
        params += [pattern] * len(texts)
    return conditions, params


def _has_aggregate(expr: ast.Expr) -> bool:
    if isinstance(expr, ast.Call) and (expr.name in ("count", "sum", "avg", "min", "max")):
        return True
    return any(_has_aggregate(child) for child in _children(expr))


def _children(expr: ast.Expr) -> list[ast.Expr]:
    if isinstance(expr, ast.Call):
        return list(expr.args)
    if isinstance(expr, ast.Unary | ast.IsNull):
        return [expr.operand]
    if isinstance(expr, ast.Binary):
        return [expr.left, expr.right]
    if isinstance(expr, ast.Between):
        return [expr.operand, expr.low, expr.high]
    if isinstance(expr, ast.In):
        return [expr.operand, *expr.items]
    return []


def _check_grouped(
    parameter: str, exprs: list[ast.Expr], group: tuple[ast.Expr, ...], aliases: dict[str, ast.Expr]
) -> None:
    """Every column a grouped query selects, orders by or tests in $having is grouped by or inside an aggregate."""

    def ungrouped(expr: ast.Expr) -> ast.Column | None:
        if expr in group or (_has_aggregate(expr) and isinstance(expr, ast.Call)):
            return None
        if isinstance(expr, ast.Column):
            aliased = aliases.get(expr.name)
            return ungrouped(aliased) if aliased is not None and aliased != expr else expr
        return next((found for child in _children(expr) if (found := ungrouped(child))), None)

    for expr in exprs:
        if (column := ungrouped(expr)) is not None:
            raise SoqlError(
                NOT_GROUPED,
                f"{column.name} must be in $group or inside an aggregate such as count()",
                parameter=parameter,
                position=column.pos or None,
            )


def _sortable(typed: _Typed, node: ast.Expr, what: str) -> _Typed:
    if typed.point or typed.type == "multipolygon":
        raise SoqlError(TYPE_MISMATCH, f"Cannot {what} a location", position=node.pos)
    if typed.literal is not None:  # PostgreSQL would read a bare number as a column's position
        raise SoqlError(TYPE_MISMATCH, f"Cannot {what} a constant; name a column", position=node.pos)
    return typed


def _order(
    compiler: Compiler, query: ast.Query, outputs: list[Output], grouped: bool, key: tuple[str, ...]
) -> tuple[str, list[Any]]:
    keys, params = [], []
    for order in query.order:
        typed = _sortable(compiler.expr(order.expr, allow_aggregate=grouped), order.expr, "order by")
        keys.append(f"{typed.sql} {'DESC' if order.descending else 'ASC'}")
        params += list(typed.params)
    # A stable order makes paging with $offset repeatable: the first columns, then (ungrouped) the id.
    if not keys and grouped:
        position = 0
        for output in outputs:
            if output.type != "point":
                keys.append(f'"c{position}" ASC')
            position += output.width
    if not grouped:
        names = key or (compiler.ordered_columns[0].name,)
        keys += [f"{compiler.expr(ast.Column(name)).sql} ASC" for name in names]
    return (" ORDER BY " + ", ".join(keys) if keys else ""), params
