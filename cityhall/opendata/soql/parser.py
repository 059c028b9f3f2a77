"""SoQL text → the records of `ast.py`, through lark. Errors name the unexpected token and its place."""

from __future__ import annotations

from functools import cache
from typing import Any

from lark import Lark, Token, Transformer, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from . import ast
from .errors import BAD_LIMIT, BAD_OFFSET, MALFORMED, SoqlError
from .grammar import GRAMMAR

# Longer text is refused before parsing: no honest query is this long, and it bounds the work.
MAX_CLAUSE_CHARACTERS = 4000


@cache
def _lark() -> Lark:
    starts = ["start_select", "start_where", "start_group", "start_order", "start_query"]
    return Lark(GRAMMAR, start=starts, parser="lalr", maybe_placeholders=False)


def _pos(token: Token) -> int:
    return (token.start_pos or 0) + 1


def _unquote(text: str) -> str:
    quote = text[0]
    return text[1:-1].replace(quote * 2, quote)


class _ToAst(Transformer[Token, Any]):
    def name(self, items: list[Token]) -> Token:
        token = items[0]
        if token.type == "QUOTED_NAME":
            return Token.new_borrow_pos("NAME", token[1:-1], token)
        return token

    def column(self, items: list[Token]) -> ast.Column:
        return ast.Column(items[0].lower(), pos=_pos(items[0]))

    def string(self, items: list[Token]) -> ast.Literal:
        return ast.Literal(_unquote(items[0]), "text", pos=_pos(items[0]))

    def number(self, items: list[Token]) -> ast.Literal:
        return ast.Literal(str(items[0]), "number", pos=_pos(items[0]))

    def true(self, items: list[Token]) -> ast.Literal:
        return ast.Literal(True, "boolean", pos=_pos(items[0]))

    def false(self, items: list[Token]) -> ast.Literal:
        return ast.Literal(False, "boolean", pos=_pos(items[0]))

    def null(self, items: list[Token]) -> ast.Literal:
        return ast.Literal(None, "null", pos=_pos(items[0]))

    def call(self, items: list[Any]) -> ast.Call:
        name, args = items[0], items[1] if len(items) > 1 else ()
        return ast.Call(name.lower(), tuple(args), pos=_pos(name))

    def call_star(self, items: list[Any]) -> ast.Call:
        return ast.Call(items[0].lower(), (), star=True, pos=_pos(items[0]))

    def expr_list(self, items: list[ast.Expr]) -> tuple[ast.Expr, ...]:
        return tuple(items)

    def negate(self, items: list[Any]) -> ast.Expr:
        operand = items[1]
        if isinstance(operand, ast.Literal) and operand.kind == "number":
            text = str(operand.value)
            return ast.Literal(text[1:] if text.startswith("-") else "-" + text, "number", pos=_pos(items[0]))
        return ast.Unary("-", operand, pos=_pos(items[0]))

    def not_(self, items: list[Any]) -> ast.Unary:
        return ast.Unary("not", items[1], pos=_pos(items[0]))

    def _binary(self, op: str, items: list[Any]) -> ast.Binary:
        return ast.Binary(op, items[0], items[2], pos=_pos(items[1]))

    def or_(self, items: list[Any]) -> ast.Binary:
        return self._binary("or", items)

    def and_(self, items: list[Any]) -> ast.Binary:
        return self._binary("and", items)

    def compare(self, items: list[Any]) -> ast.Binary:
        op = {"==": "=", "<>": "!="}.get(str(items[1]), str(items[1]))
        return ast.Binary(op, items[0], items[2], pos=_pos(items[1]))

    def arithmetic(self, items: list[Any]) -> ast.Binary:
        return ast.Binary(str(items[1]), items[0], items[2], pos=_pos(items[1]))

    def like(self, items: list[Any]) -> ast.Binary:
        return self._binary("like", items)

    def not_like(self, items: list[Any]) -> ast.Unary:
        return ast.Unary("not", ast.Binary("like", items[0], items[3], pos=_pos(items[2])), pos=_pos(items[1]))

    def is_null(self, items: list[Any]) -> ast.IsNull:
        return ast.IsNull(items[0], negated=False, pos=_pos(items[1]))

    def is_not_null(self, items: list[Any]) -> ast.IsNull:
        return ast.IsNull(items[0], negated=True, pos=_pos(items[1]))

    def between(self, items: list[Any]) -> ast.Between:
        return ast.Between(items[0], items[2], items[4], negated=False, pos=_pos(items[1]))

    def not_between(self, items: list[Any]) -> ast.Between:
        return ast.Between(items[0], items[3], items[5], negated=True, pos=_pos(items[1]))

    def in_(self, items: list[Any]) -> ast.In:
        return ast.In(items[0], items[2], negated=False, pos=_pos(items[1]))

    def not_in(self, items: list[Any]) -> ast.In:
        return ast.In(items[0], items[3], negated=True, pos=_pos(items[1]))

    def star(self, items: list[Any]) -> ast.SelectItem:
        return ast.SelectItem(None)

    def select_expr(self, items: list[Any]) -> ast.SelectItem:
        alias = str(items[2]).lower() if len(items) > 2 else None
        return ast.SelectItem(items[0], alias)

    def select_list(self, items: list[ast.SelectItem]) -> tuple[ast.SelectItem, ...]:
        return tuple(items)

    def order_item(self, items: list[Any]) -> ast.OrderItem:
        descending = len(items) > 1 and str(items[1]).lower() == "desc"
        return ast.OrderItem(items[0], descending)

    def order_list(self, items: list[ast.OrderItem]) -> tuple[ast.OrderItem, ...]:
        return tuple(items)

    def where_part(self, items: list[Any]) -> tuple[str, Any]:
        return ("where", items[1])

    def group_part(self, items: list[Any]) -> tuple[str, Any]:
        return ("group", items[2])

    def having_part(self, items: list[Any]) -> tuple[str, Any]:
        return ("having", items[1])

    def order_part(self, items: list[Any]) -> tuple[str, Any]:
        return ("order", items[2])

    def limit_part(self, items: list[Any]) -> tuple[str, Any]:
        return ("limit", parse_count(str(items[1]), "$limit", BAD_LIMIT))

    def offset_part(self, items: list[Any]) -> tuple[str, Any]:
        return ("offset", parse_count(str(items[1]), "$offset", BAD_OFFSET))

    def search_part(self, items: list[Any]) -> tuple[str, Any]:
        return ("search", _unquote(items[1]))

    def query(self, items: list[Any]) -> ast.Query:
        parts = dict(item for item in items[2:] if isinstance(item, tuple) and len(item) == 2)
        return ast.Query(select=items[1], **parts)


def parse_count(text: str, parameter: str, code: str) -> int:
    """A non-negative whole number for $limit or $offset."""
    if not text.isdigit() or len(text) > 12:
        raise SoqlError(
            code, f"{parameter} must be a whole number of 0 or more, not {text[:40]!r}", parameter=parameter
        )
    return int(text)


def _describe(error: UnexpectedInput, text: str) -> SoqlError:
    index = error.pos_in_stream if error.pos_in_stream is not None else len(text)
    position = index + 1
    if isinstance(error, UnexpectedCharacters):
        return SoqlError(MALFORMED, f"Unexpected character {text[index : index + 1]!r}", position=position)
    if isinstance(error, UnexpectedEOF) or (isinstance(error, UnexpectedToken) and error.token.type == "$END"):
        return SoqlError(MALFORMED, "Unexpected end of input", position=len(text) + 1)
    if isinstance(error, UnexpectedToken):
        token = error.token
        return SoqlError(MALFORMED, f"Unexpected {str(token)[:40]!r}", position=_pos(token))
    return SoqlError(MALFORMED, "Malformed query", position=position)


def _parse(text: str, start: str) -> Any:
    if len(text) > MAX_CLAUSE_CHARACTERS:
        raise SoqlError(MALFORMED, f"Query text longer than {MAX_CLAUSE_CHARACTERS} characters")
    try:
        tree = _lark().parse(text, start=start)
    except UnexpectedInput as error:
        raise _describe(error, text) from None
    except RecursionError:
        raise SoqlError(MALFORMED, "Query nested too deeply") from None
    try:
        return _ToAst().transform(tree).children[0]
    except RecursionError:
        raise SoqlError(MALFORMED, "Query nested too deeply") from None


def parse_select(text: str) -> tuple[ast.SelectItem, ...]:
    result: tuple[ast.SelectItem, ...] = _parse(text, "start_select")
    return result


def parse_expr(text: str) -> ast.Expr:
    result: ast.Expr = _parse(text, "start_where")
    return result


def parse_group(text: str) -> tuple[ast.Expr, ...]:
    result: tuple[ast.Expr, ...] = _parse(text, "start_group")
    return result


def parse_order(text: str) -> tuple[ast.OrderItem, ...]:
    result: tuple[ast.OrderItem, ...] = _parse(text, "start_order")
    return result


def parse_query(text: str) -> ast.Query:
    result: ast.Query = _parse(text, "start_query")
    return result
