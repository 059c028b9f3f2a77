"""FixMyStreet's servicerequestupdates as one hand-written SQL query, like the public list (public_list.py).

Building the same query through the ORM, with its joins to the request and the category and a
second query for the photos, cost three times what the rest of the read did on the SQLite demo
(docs/open311.md, "Performance on the default install"). Private categories come from the
catalogue kept in memory, so the query joins the requests table alone, and each update's photo
comes in the same query. Moments travel as whole seconds, as Open311 shows them.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from typing import Any

from django.db import connection

from cityhall.catalogue.selectors import catalogue_labels

from .models import Attachment, RequestEvent, ServiceRequest
from .public_list import EPOCH_SQL
from .public_text import public_event_row
from .row_shape import RowShape, shaped

E, R, A = (m._meta.db_table for m in (RequestEvent, ServiceRequest, Attachment))
COLUMNS = (
    "id",
    "request_id",
    "request__public_id",
    "request__status",
    "request__resolution",
    "created_at",
    "kind",
    "action",
    "to_status",
    "public_note",
    "request__reporter_name",
    "request__reporter_email",
    "request__reporter_phone",
    "photo",
)
# The newest public photo of the update, as the FixMyStreet feed shows one.
PHOTO_SQL = (
    f"(SELECT a.image FROM {A} a WHERE a.event_id = u.id AND a.is_public "  # noqa: S608
    "ORDER BY a.created_at DESC, a.id DESC LIMIT 1)"
)


def fetch_public_updates(
    jurisdiction_id: int,
    *,
    since: datetime,
    until: datetime,
    limit: int,
    seconds: bool = False,
    shape: RowShape | None = None,
) -> list[Any]:
    """Public timeline events in a window, oldest first, each with its request's id and state and its photo.

    `created_at` is a datetime in UTC, or with `seconds` whole seconds since 1970 as the query read it.
    With `shape`, each event in the shape's form instead (remembered; row_shape.py)."""
    private = catalogue_labels(jurisdiction_id).private_service_ids
    params: list[Any] = [jurisdiction_id, _when(since), _when(until), RequestEvent.Kind.NOTE.value, *private]
    hidden = f"AND r.service_id NOT IN ({', '.join(['%s'] * len(private))})" if private else ""
    # The window's page first, read in order from the events' time index; only then each one's photo.
    # With the photo's subquery beside the index scan, SQLite looked up the photo of every event of
    # the window and sorted them all before keeping the page.
    page = (
        "SELECT e.id, e.request_id, r.public_id, r.status, r.resolution, e.created_at, e.kind, e.action, "  # noqa: S608
        "e.to_status, e.public_note, r.reporter_name, r.reporter_email, r.reporter_phone "
        f"FROM {E} e JOIN {R} r ON r.id = e.request_id "
        f"WHERE r.jurisdiction_id = %s AND e.created_at >= %s AND e.created_at <= %s AND e.kind <> %s {hidden} "
        f"ORDER BY e.created_at, e.id LIMIT {int(limit)}"
    )
    created = EPOCH_SQL[connection.vendor].format("u.created_at")
    sql = (
        f"SELECT u.id, u.request_id, u.public_id, u.status, u.resolution, {created}, u.kind, u.action, "  # noqa: S608
        f"u.to_status, u.public_note, u.reporter_name, u.reporter_email, u.reporter_phone, {PHOTO_SQL} "
        f"FROM ({page}) u ORDER BY u.created_at, u.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()

    def row_of(values: tuple[Any, ...]) -> dict[str, Any]:
        row = dict(zip(COLUMNS, values, strict=True))
        if not seconds:
            row["created_at"] = datetime.fromtimestamp(row["created_at"], UTC)
        return public_event_row(row)

    if shape is None:
        return [row_of(values) for values in found]
    return [shaped(shape, values, functools.partial(row_of, values)) for values in found]


def _when(moment: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)
