"""A parsed SoQL query → one parameterised SELECT over a dataset's source, for SQLite or PostgreSQL.

Every value from the query is a bound parameter. Identifiers in the SQL are only the dataset's
own column names (checked against its columns, never copied from the input) and generated
aliases (`c0`, `c1`…); a query's own aliases live in Python, as the names of the output.
Each expression is typed as it is compiled, so a type mismatch is refused here, not by the database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from . import ast
from .dialect import TRUNC_UNITS, Dialect
from .errors import NO_SUCH_COLUMN, NO_SUCH_FUNCTION, TYPE_MISMATCH, SoqlError

EARTH_RADIUS_M = 6_371_008.8
METERS_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180

AGGREGATES = {"count", "sum", "avg", "min", "max"}
FUNCTIONS = AGGREGATES | set(TRUNC_UNITS) | {"upper", "lower", "starts_with", "within_circle", "within_box"}
# What min() and max() take (PostgreSQL has no min or max of true/false).
ORDERED = {"text", "number", "calendar_date", "floating"}
MAX_RADIUS_M = 100_000  # a city's reach; keeps the haversine's arcsine well inside its domain


@dataclass(frozen=True)
class SoqlColumn:
    """A dataset column as SoQL sees it. A point is read from two source columns, its latitude and longitude."""

    name: str
    type: str  # text, number, calendar_date, checkbox, point or multipolygon (GeoJSON text)
    latitude: str = ""
    longitude: str = ""
    floating: bool = False  # a calendar_date holding a day in the city's time, not an instant


@dataclass(frozen=True)
class Output:
    """One column of the answer: its name, SoQL type and how many SQL columns carry it (a point: two)."""

    name: str
    type: str  # as compiled; "floating" is a calendar_date already in the city's time
    width: int = 1

    @property
    def soda_type(self) -> str:
        return "calendar_date" if self.type == "floating" else self.type


@dataclass
class Compiled:
    sql: str
    params: list[Any]
    outputs: list[Output] = field(default_factory=list)


@dataclass(frozen=True)
class _Typed:
    sql: str
    params: tuple[Any, ...]
    type: str  # text, number, calendar_date, floating, checkbox, point, null
    aggregate: bool = False
    literal: ast.Literal | None = None  # kept so a text literal can be read as a date beside a date
    point: tuple[str, str] | None = None  # a point's (latitude, longitude) SQL


def _quoted(name: str) -> str:
    return 't."' + name.replace('"', '""') + '"'


def parse_moment(text: str, pos: int) -> datetime:
    try:
        return datetime.fromisoformat(text.strip().replace(" ", "T"))
    except ValueError:
        raise SoqlError(
            TYPE_MISMATCH, f"{text[:40]!r} is not a date and time (YYYY-MM-DDThh:mm:ss)", position=pos
        ) from None


def parse_number(text: str, pos: int) -> int | float:
    try:
        value: int | float = int(text)
    except ValueError:
        try:
            value = float(text)
        except ValueError:
            raise SoqlError(TYPE_MISMATCH, f"{text[:40]!r} is not a number", position=pos) from None
    if (isinstance(value, int) and abs(value) > 2**53) or not math.isfinite(value):
        raise SoqlError(TYPE_MISMATCH, f"Number {text[:40]} is out of range", position=pos)
    return value


class Compiler:
    def __init__(self, columns: list[SoqlColumn], dialect: Dialect) -> None:
        self.columns = {column.name: column for column in columns}
        self.ordered_columns = columns
        self.dialect = dialect
        self.aliases: dict[str, ast.Expr] = {}

    # --- expressions

    def expr(self, node: ast.Expr, *, allow_aggregate: bool = False) -> _Typed:
        typed = self._expr(node)
        if typed.aggregate and not allow_aggregate:
            raise SoqlError(TYPE_MISMATCH, "Aggregate functions are not allowed here", position=node.pos)
        return typed

    def _expr(self, node: ast.Expr) -> _Typed:
        if isinstance(node, ast.Column):
            return self._column(node)
        if isinstance(node, ast.Literal):
            return self._literal(node)
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Unary):
            return self._unary(node)
        if isinstance(node, ast.Binary):
            return self._binary(node)
        if isinstance(node, ast.IsNull):
            operand = self._expr(node.operand)
            sql = f"({operand.sql} IS {'NOT ' if node.negated else ''}NULL)"
            if operand.point:
                sql = f"({operand.point[0]} IS {'NOT ' if node.negated else ''}NULL)"
            return _Typed(sql, operand.params, "checkbox", operand.aggregate)
        if isinstance(node, ast.Between):
            return self._between(node)
        return self._in(node)

    def _column(self, node: ast.Column) -> _Typed:
        if node.name in self.aliases:  # $order and $having may name a $select alias
            aliased = self.aliases.pop(node.name)  # out while compiled: `status AS status` is the column
            try:
                return self._expr(aliased)
            finally:
                self.aliases[node.name] = aliased
        column = self.columns.get(node.name)
        if column is None:
            raise SoqlError(NO_SUCH_COLUMN, f"No such column: {node.name[:60]}", position=node.pos)
        if column.type == "point":
            lat, lng = _quoted(column.latitude), _quoted(column.longitude)
            return _Typed(f"{lat}, {lng}", (), "point", point=(lat, lng))
        if column.floating:
            return _Typed(self.dialect.floating_column(_quoted(column.name)), (), "floating")
        return _Typed(_quoted(column.name), (), column.type)

    def _literal(self, node: ast.Literal) -> _Typed:
        if node.kind == "null":
            return _Typed("NULL", (), "null", literal=node)
        if node.kind == "boolean":
            return _Typed("%s", (bool(node.value),), "checkbox", literal=node)
        if node.kind == "number":
            return _Typed("%s", (parse_number(str(node.value), node.pos),), "number", literal=node)
        return _Typed("%s", (node.value,), "text", literal=node)

    def _unary(self, node: ast.Unary) -> _Typed:
        operand = self._expr(node.operand)
        if node.op == "not":
            self._expect(operand, "checkbox", node.operand)
            return _Typed(f"(NOT {operand.sql})", operand.params, "checkbox", operand.aggregate)
        self._expect(operand, "number", node.operand)
        return _Typed(f"(-{operand.sql})", operand.params, "number", operand.aggregate)

    def _expect(self, typed: _Typed, wanted: str, node: ast.Node) -> None:
        if typed.type not in (wanted, "null"):
            raise SoqlError(TYPE_MISMATCH, f"Expected {wanted}, found {_shown(typed.type)}", position=node.pos)

    def _binary(self, node: ast.Binary) -> _Typed:
        left, right = self._expr(node.left), self._expr(node.right)
        aggregate = left.aggregate or right.aggregate
        if node.op in ("and", "or"):
            self._expect(left, "checkbox", node.left)
            self._expect(right, "checkbox", node.right)
            return _Typed(
                f"({left.sql} {node.op.upper()} {right.sql})", left.params + right.params, "checkbox", aggregate
            )
        if node.op in ("+", "-", "*", "/"):
            self._expect(left, "number", node.left)
            self._expect(right, "number", node.right)
            if node.op == "/":  # a decimal quotient; no error for a zero divisor, but null
                sql = f"(({left.sql}) * 1.0 / NULLIF({right.sql}, 0))"
            else:
                sql = f"({left.sql} {node.op} {right.sql})"
            return _Typed(sql, left.params + right.params, "number", aggregate)
        if node.op == "||":
            self._expect(left, "text", node.left)
            self._expect(right, "text", node.right)
            return _Typed(f"({left.sql} || {right.sql})", left.params + right.params, "text", aggregate)
        if node.op == "like":
            self._expect(left, "text", node.left)
            self._expect(right, "text", node.right)
            sql = f"({left.sql} {self.dialect.like()} {right.sql})"
            return _Typed(sql, left.params + right.params, "checkbox", aggregate)
        if node.op == "=" and (period := self._period(node)) is not None:
            return period
        left, right = self._comparable(left, right, node)
        op = "<>" if node.op == "!=" else node.op
        return _Typed(f"({left.sql} {op} {right.sql})", left.params + right.params, "checkbox", aggregate)

    def _period(self, node: ast.Binary) -> _Typed | None:
        """`date_trunc_ym(instant) = '2026-01-01'` as a range of instants, which an index can answer,
        instead of truncating every row. None when it is not that shape."""
        for call, other in ((node.left, node.right), (node.right, node.left)):
            if not (isinstance(call, ast.Call) and call.name in TRUNC_UNITS and len(call.args) == 1):
                continue
            if not (isinstance(other, ast.Literal) and other.kind == "text"):
                continue
            column = self._expr(call.args[0])
            start = parse_moment(str(other.value), other.pos)
            unit = TRUNC_UNITS[call.name]
            if column.type != "calendar_date" or start.tzinfo or start != _period_start(start, unit):
                return None
            begin, end = self.dialect.instant_param(start), self.dialect.instant_param(_period_end(start, unit))
            sql = f"({column.sql} >= %s AND {column.sql} < %s)"
            return _Typed(sql, (*column.params, begin, *column.params, end), "checkbox")
        return None

    def _comparable(self, left: _Typed, right: _Typed, node: ast.Node) -> tuple[_Typed, _Typed]:
        """Both sides of a comparison in one type: a text literal beside a date is read as a date."""
        left, right = self._as_date(left, right), self._as_date(right, left)
        types = {left.type, right.type} - {"null"}
        if types == {"calendar_date", "floating"}:
            left, right = (self._floating(side) for side in (left, right))
            types = {"floating"}
        if len(types) > 1:
            raise SoqlError(
                TYPE_MISMATCH, f"Cannot compare {_shown(left.type)} with {_shown(right.type)}", position=node.pos
            )
        if types and types <= {"point"}:
            raise SoqlError(
                TYPE_MISMATCH, "Points cannot be compared; use within_circle or within_box", position=node.pos
            )
        return left, right

    def _as_date(self, side: _Typed, other: _Typed) -> _Typed:
        if side.literal is None or side.literal.kind != "text" or other.type not in ("calendar_date", "floating"):
            return side
        moment = parse_moment(str(side.literal.value), side.literal.pos)
        if other.type == "floating":
            return _Typed("%s", (self.dialect.floating_param(moment),), "floating")
        return _Typed("%s", (self.dialect.instant_param(moment),), "calendar_date")

    def _floating(self, side: _Typed) -> _Typed:
        if side.type != "calendar_date":
            return side
        if side.literal is None and side.sql == "%s":  # an instant parameter: read it again as floating
            return side
        sql, params = self.dialect.floating(side.sql)
        return _Typed(sql, side.params + tuple(params), "floating", side.aggregate)

    def _between(self, node: ast.Between) -> _Typed:
        operand = self._expr(node.operand)
        low = self._comparable(operand, self._expr(node.low), node)
        high = self._comparable(low[0], self._expr(node.high), node)
        operand = high[0]
        sql = f"({operand.sql} {'NOT ' if node.negated else ''}BETWEEN {low[1].sql} AND {high[1].sql})"
        params = operand.params + low[1].params + high[1].params
        return _Typed(sql, params, "checkbox", operand.aggregate)

    def _in(self, node: ast.In) -> _Typed:
        operand = self._expr(node.operand)
        items = []
        for item in node.items:
            operand, typed = self._comparable(operand, self._expr(item), item)
            items.append(typed)
        sql = f"({operand.sql} {'NOT ' if node.negated else ''}IN ({', '.join(item.sql for item in items)}))"
        params = operand.params + tuple(param for item in items for param in item.params)
        return _Typed(sql, params, "checkbox", operand.aggregate)

    # --- functions

    def _call(self, node: ast.Call) -> _Typed:
        if node.name not in FUNCTIONS:
            raise SoqlError(NO_SUCH_FUNCTION, f"No such function: {node.name[:60]}", position=node.pos)
        if node.star:
            if node.name != "count":
                raise SoqlError(TYPE_MISMATCH, f"{node.name}(*) is not a function; only count(*)", position=node.pos)
            return _Typed("COUNT(*)", (), "number", aggregate=True)
        args = [self.expr(arg) for arg in node.args]
        if node.name in AGGREGATES:
            return self._aggregate(node, args)
        if node.name in TRUNC_UNITS:
            (arg,) = self._arity(node, args, 1)
            if arg.type not in ("calendar_date", "floating", "null"):
                self._expect(arg, "calendar_date", node)
            sql, params = self.dialect.trunc(node.name, arg.sql, floating=arg.type == "floating")
            return _Typed(sql, arg.params + tuple(params), "floating")
        if node.name in ("upper", "lower"):
            (arg,) = self._arity(node, args, 1)
            self._expect(arg, "text", node)
            return _Typed(f"{node.name.upper()}({arg.sql})", arg.params, "text")
        if node.name == "starts_with":
            text, prefix = self._arity(node, args, 2)
            self._expect(text, "text", node)
            self._expect(prefix, "text", node)
            sql = f"(SUBSTR({text.sql}, 1, LENGTH({prefix.sql})) = {prefix.sql})"
            return _Typed(sql, text.params + prefix.params + prefix.params, "checkbox")
        if node.name == "within_circle":
            return self._within_circle(node, args)
        return self._within_box(node, args)

    def _arity(self, node: ast.Call, args: list[_Typed], count: int) -> list[_Typed]:
        if len(args) != count:
            raise SoqlError(TYPE_MISMATCH, f"{node.name} takes {count} argument(s), not {len(args)}", position=node.pos)
        return args

    def _aggregate(self, node: ast.Call, args: list[_Typed]) -> _Typed:
        (arg,) = self._arity(node, args, 1)
        if node.name == "count":
            inner = arg.point[0] if arg.point else arg.sql
            return _Typed(f"COUNT({inner})", arg.params, "number", aggregate=True)
        if node.name in ("sum", "avg"):
            self._expect(arg, "number", node)
        elif arg.type not in ORDERED:
            raise SoqlError(TYPE_MISMATCH, f"{node.name} cannot take a {_shown(arg.type)}", position=node.pos)
        return _Typed(f"{node.name.upper()}({arg.sql})", arg.params, arg.type, aggregate=True)

    def _point_and_numbers(self, node: ast.Call, args: list[_Typed], count: int) -> tuple[_Typed, list[float]]:
        point, *rest = self._arity(node, args, count)
        if point.point is None:
            raise SoqlError(TYPE_MISMATCH, f"{node.name} needs a location column first", position=node.pos)
        numbers = []
        for arg in rest:
            if arg.type != "number" or arg.literal is None:
                raise SoqlError(TYPE_MISMATCH, f"{node.name} takes numbers after the location", position=node.pos)
            numbers.append(float(arg.params[0]))
        return point, numbers

    def _within_circle(self, node: ast.Call, args: list[_Typed]) -> _Typed:
        point, (lat, lng, meters) = self._point_and_numbers(node, args, 4)
        _check_lat_lng(lat, lng, node)
        if not 0 < meters <= MAX_RADIUS_M:
            raise SoqlError(
                TYPE_MISMATCH,
                f"within_circle needs a radius above 0 and at most {MAX_RADIUS_M:,} meters",
                position=node.pos,
            )
        assert point.point is not None
        plat, plng = point.point
        # The box around the circle lets an index on latitude/longitude narrow the rows; the
        # haversine distance then keeps those truly inside.
        dlat = meters / METERS_PER_DEGREE
        dlng = min(180.0, meters / (METERS_PER_DEGREE * max(math.cos(math.radians(lat)), 1e-6)))
        box = f"{plat} BETWEEN %s AND %s AND {plng} BETWEEN %s AND %s"
        haversine = (
            f"2 * {EARTH_RADIUS_M} * ASIN(SQRT("
            f"SIN(RADIANS({plat} - %s) / 2) * SIN(RADIANS({plat} - %s) / 2)"
            f" + COS(RADIANS(%s)) * COS(RADIANS({plat}))"
            f" * SIN(RADIANS({plng} - %s) / 2) * SIN(RADIANS({plng} - %s) / 2))) <= %s"
        )
        params = (lat - dlat, lat + dlat, lng - dlng, lng + dlng, lat, lat, lat, lng, lng, meters)
        return _Typed(f"({box} AND {haversine})", params, "checkbox")

    def _within_box(self, node: ast.Call, args: list[_Typed]) -> _Typed:
        point, (nw_lat, nw_lng, se_lat, se_lng) = self._point_and_numbers(node, args, 5)
        _check_lat_lng(nw_lat, nw_lng, node)
        _check_lat_lng(se_lat, se_lng, node)
        assert point.point is not None
        plat, plng = point.point
        sql = f"({plat} BETWEEN %s AND %s AND {plng} BETWEEN %s AND %s)"
        return _Typed(sql, (se_lat, nw_lat, nw_lng, se_lng), "checkbox")


def _period_start(moment: datetime, unit: str) -> datetime:
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return {"year": midnight.replace(month=1, day=1), "month": midnight.replace(day=1), "day": midnight}[unit]


def _period_end(start: datetime, unit: str) -> datetime:
    if unit == "year":
        return start.replace(year=start.year + 1)
    if unit == "month":
        return (start + timedelta(days=32)).replace(day=1)
    return start + timedelta(days=1)


def _check_lat_lng(lat: float, lng: float, node: ast.Node) -> None:
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise SoqlError(TYPE_MISMATCH, "Latitude must be within ±90 and longitude within ±180", position=node.pos)


def _shown(type_name: str) -> str:
    return "calendar_date" if type_name == "floating" else type_name
