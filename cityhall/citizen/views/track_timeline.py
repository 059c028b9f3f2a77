"""What a resident reads about a request: its status in their language, and its public timeline.

Labels and colours come from the workflow table, where they are kept once as lazy translations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext, pgettext

from cityhall.accounts.roles import Role
from cityhall.catalogue.selectors import department_name_as_read
from cityhall.requests.models import Attachment, RequestEvent, ServiceRequest
from cityhall.requests.workflow import RESOLUTIONS, STATUSES, Resolution, Status


@dataclass(frozen=True)
class StatusBadge:
    value: str
    label: str
    colour: str
    description: str


def status_badge(status: str) -> StatusBadge:
    """The status as the resident sees it: the workflow's label and colour, in the active language."""
    info = STATUSES[Status(status)]
    return StatusBadge(status, str(info.label), info.colour, str(info.description))


def resolution_text(resolution: str) -> str:
    return str(RESOLUTIONS[Resolution(resolution)].public_text) if resolution else ""


@dataclass
class TimelineEntry:
    at: datetime
    title: str
    note: str = ""
    badge: StatusBadge | None = None
    photos: list[Attachment] = field(default_factory=list)


def _title(event: RequestEvent, jurisdiction_pk: int) -> str:
    data: dict[str, Any] = event.data or {}
    match (event.kind, event.action):
        case (RequestEvent.Kind.SUBMITTED, _):
            return gettext("Reported")
        case (RequestEvent.Kind.IMPORTED, _):
            return gettext("Recorded from the city's earlier system")
        case (_, "route"):
            department = data.get("department")
            if not department:
                return gettext("Routed")
            return gettext("Sent to %(department)s") % {
                "department": department_name_as_read(jurisdiction_pk, department)
            }
        case (_, "assign"):
            return gettext("Assigned to a member of the crew")
        case (_, "start"):
            return gettext("Work started")
        case (_, "hold"):
            return pgettext("timeline", "Put on hold")
        case (_, "resume"):
            return gettext("Work resumed")
        case (_, "resolve"):
            return gettext("Resolved: %(how)s") % {"how": resolution_text(data.get("resolution", ""))}
        case (_, "confirm"):
            return gettext("The reporter confirmed it is fixed")
        case (_, "close") if _by_the_city_itself(event):
            return pgettext("timeline", "Closed automatically")
        case (_, "close"):
            return pgettext("timeline", "Closed")
        case (_, "reopen"):
            return gettext("Reopened: not fixed")
        case (RequestEvent.Kind.RECATEGORISED, _):
            return gettext("Moved to another category")
        case (RequestEvent.Kind.SUPPORTED, _):
            return gettext("Another resident reported this too")
        case (RequestEvent.Kind.MERGED, _):
            return gettext("Another report of the same problem was merged into this one")
        case _:
            return gettext("Update from the city")


# Kinds whose public note is a fixed English sentence written by the system: the title says it already.
_SYSTEM_NOTES = {RequestEvent.Kind.SUPPORTED, RequestEvent.Kind.MERGED, RequestEvent.Kind.IMPORTED}


def _by_the_city_itself(event: RequestEvent) -> bool:
    """Whether the application made the event (an auto-close, a device's all-clear), not a person."""
    return event.actor_role == Role.SYSTEM


def _note(event: RequestEvent, shown: Callable[[str], str]) -> str:
    """The event's public note as the reader may read it; none where the title already says it in their words
    (the auto-close's note is a fixed English sentence)."""
    if event.kind in _SYSTEM_NOTES or (event.action == "close" and _by_the_city_itself(event)):
        return ""
    return shown(event.public_note)


def timeline_entries(
    events: Iterable[RequestEvent], *, shown: Callable[[str], str], jurisdiction_pk: int
) -> list[TimelineEntry]:
    """Public events, newest first, as titled entries (never internal notes: callers pass the public timeline);
    `shown` gives a note as this reader may read it (public_text); the city's departments are named in the
    reader's language."""
    entries = []
    for event in events:
        if not event.is_public:  # belt and braces: the selector already leaves internal notes out
            continue
        entries.append(
            TimelineEntry(
                at=event.created_at,
                title=_title(event, jurisdiction_pk),
                note=_note(event, shown),
                badge=status_badge(event.to_status) if event.to_status else None,
                photos=[photo for photo in event.attachments.all() if photo.is_public],
            )
        )
    entries.reverse()
    return entries


def completion_photo(service_request: ServiceRequest, events: Iterable[RequestEvent]) -> Attachment | None:
    """The photo staff attached when they last resolved it, while it stays resolved or closed."""
    if service_request.status not in (Status.RESOLVED, Status.CLOSED):
        return None
    found = None
    for event in events:
        photos = [p for p in event.attachments.all() if p.is_public and p.purpose == Attachment.Purpose.COMPLETION]
        if event.action == "resolve" and photos:
            found = photos[-1]
    return found
