"""The city's own exports: every dataset with the fields the public never sees, for its warehouse.

The request and update datasets have an internal version read through the requests app's selectors
(`requests_for_export`, `events_for_export`): every request, private services included, the exact
place and full text of sensitive ones, the reporter's contact, device and account ids, assignee,
crew and internal notes. The other datasets hold nothing personal, so their internal export is the
public one. Who may ask for it is `access.py`; every export is logged (`services/exports.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from cityhall.requests.selectors import (
    EVENT_EXPORT_FIELDS,
    REQUEST_EXPORT_FIELDS,
    events_for_export,
    requests_for_export,
)

from . import downloads
from .registry import Dataset


@dataclass(frozen=True)
class ExportColumn:
    name: str
    type: str


def _columns(spec: str) -> tuple[ExportColumn, ...]:
    return tuple(ExportColumn(*item.split(":")) for item in spec.split())


# In the selectors' field order. The names of the columns the public also has are the public names.
REQUEST_COLUMNS = _columns(
    "service_request_id:text service_code:text service_name:text private:checkbox sensitive:checkbox "
    "department:text status_detail:text resolution:text status_notes:text hold_reason:text priority:number "
    "requested_datetime:calendar_date updated_datetime:calendar_date expected_datetime:calendar_date "
    "resolved_datetime:calendar_date closed_datetime:calendar_date address:text zipcode:text "
    "location_description:text neighborhood:text latitude:number longitude:number description:text channel:text "
    "language:text reporter_name:text reporter_email:text reporter_phone:text reporter_account:text "
    "device_id:text account_id:text api_client:text assignee:text crew:text support_count:number "
    "import_source:text external_id:text"
)
UPDATE_COLUMNS = _columns(
    "update_id:number service_request_id:text service_code:text updated_datetime:calendar_date update_type:text "
    "action:text actor:text actor_role:text from_status:text status_detail:text description:text "
    "internal_note:text"
)
assert len(REQUEST_COLUMNS) == len(REQUEST_EXPORT_FIELDS) and len(UPDATE_COLUMNS) == len(EVENT_EXPORT_FIELDS)

_INTERNAL = {"r311-sreq": (REQUEST_COLUMNS, requests_for_export), "r311-updt": (UPDATE_COLUMNS, events_for_export)}


def has_internal_fields(dataset: Dataset) -> bool:
    return dataset.id in _INTERNAL


def export_table(dataset: Dataset, *, internal: bool) -> tuple[tuple[Any, ...], Iterator[tuple[Any, ...]]]:
    """The columns and rows an export of the dataset holds: its internal version if asked and it has one."""
    if internal and dataset.id in _INTERNAL:
        columns, rows = _INTERNAL[dataset.id]
        return columns, rows()
    return dataset.columns, downloads.rows(dataset)
