"""A dataset's raw SQL values as Python values of their column's type, the same on SQLite and PostgreSQL.

A raw cursor skips Django's converters: SQLite gives datetimes and dates as text, booleans as 0/1 and
JSON as text; PostgreSQL gives them typed. Readers of a dataset's `source()` convert here.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from .registry import Column


def as_python(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.type == "calendar_date":
        return _moment(value)
    if column.type == "checkbox":
        return bool(value)
    if column.type == "number":
        return float(value) if isinstance(value, Decimal) else value
    if column.type == "multipolygon":
        return json.loads(value) if isinstance(value, str) else value
    return value


def _moment(value: Any) -> datetime | date:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return value
    text = str(value)
    if len(text) == 10:
        return date.fromisoformat(text)
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # Django stores UTC on SQLite
