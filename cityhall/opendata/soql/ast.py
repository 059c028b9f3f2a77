"""The parsed shape of a SoQL query: plain frozen records, each with its character position."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Node:
    pos: int = field(default=0, kw_only=True, compare=False)


@dataclass(frozen=True)
class Column(Node):
    name: str


@dataclass(frozen=True)
class Literal(Node):
    value: str | bool | None
    kind: str  # "text", "number", "boolean" or "null"; numbers stay text until compiled


@dataclass(frozen=True)
class Call(Node):
    name: str
    args: tuple[Expr, ...]
    star: bool = False  # count(*)


@dataclass(frozen=True)
class Unary(Node):
    op: str  # "not" or "-"
    operand: Expr


@dataclass(frozen=True)
class Binary(Node):
    op: str  # "and", "or", "=", "!=", "<", "<=", ">", ">=", "like", "+", "-", "*", "/", "||"
    left: Expr
    right: Expr


@dataclass(frozen=True)
class IsNull(Node):
    operand: Expr
    negated: bool


@dataclass(frozen=True)
class Between(Node):
    operand: Expr
    low: Expr
    high: Expr
    negated: bool


@dataclass(frozen=True)
class In(Node):
    operand: Expr
    items: tuple[Expr, ...]
    negated: bool


Expr = Column | Literal | Call | Unary | Binary | IsNull | Between | In


@dataclass(frozen=True)
class SelectItem:
    expr: Expr | None  # None is `*`
    alias: str | None = None


@dataclass(frozen=True)
class OrderItem:
    expr: Expr
    descending: bool = False


@dataclass(frozen=True)
class Query:
    """Every clause of a query, from the $-parameters or from one $query."""

    select: tuple[SelectItem, ...] = ()
    where: Expr | None = None
    group: tuple[Expr, ...] = ()
    having: Expr | None = None
    order: tuple[OrderItem, ...] = ()
    limit: int | None = None
    offset: int | None = None
    search: str | None = None  # $q
