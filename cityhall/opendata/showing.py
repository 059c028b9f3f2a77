"""A dataset's values as people read them on the catalog pages, and an example query for its API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .registry import Column, Dataset

LONGEST_TEXT = 120


def shown_rows(dataset: Dataset, rows: list[dict[str, Any]]) -> list[list[str]]:
    """Each row as text cells, in the dataset's selected columns' order."""
    columns = [dataset.column(name) for name in dataset.selected_columns]
    return [[shown_value(column, row[column.name]) for column in columns] for row in rows]


def shown_value(column: Column, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if column.type == "checkbox":
        return _("Yes") if value else _("No")
    if column.type == "multipolygon":
        return _("(boundary)")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    text = str(value)
    return text if len(text) <= LONGEST_TEXT else text[: LONGEST_TEXT - 1] + "…"


def example_query(dataset: Dataset, *, rows: int | None = 5) -> str:
    """A small SoQL query showing the API's shape: the latest few rows (every one matching for a file)."""
    if dataset.temporal:
        query = {"$order": f"{dataset.temporal} DESC"}
    else:
        query = {"$order": ", ".join(dataset.order_by)}
    if rows is not None:
        query["$limit"] = str(rows)
    if any(column.name == "status" for column in dataset.columns):
        query = {"$where": "status = 'open'", **query}
    return urlencode(query, safe="$,'")
