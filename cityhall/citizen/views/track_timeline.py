"""What a resident reads about a request: its status in their language, and its public timeline.

Labels and colours come from the workflow table; the literals below are only there so that
`makemessages` puts the workflow's English labels in this app's catalogue (a test checks that
every status has its Spanish text).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext, gettext_noop, pgettext

from cityhall.requests.models import Attachment, RequestEvent, ServiceRequest
from cityhall.requests.workflow import RESOLUTIONS, STATUSES, Resolution, Status

# The workflow's labels and descriptions, for makemessages (looked up with gettext at run time).
_CATALOGUE = (
    gettext_noop("Submitted"),
    gettext_noop("Received; the 311 desk will send it to the team in charge."),
    gettext_noop("In the department's queue"),
    gettext_noop("Waiting for the department to assign it."),
    gettext_noop("Assigned"),
    gettext_noop("Someone is assigned to do the work."),
    gettext_noop("In progress"),
    gettext_noop("The work has started."),
    gettext_noop("On hold"),
    gettext_noop("Paused for now; the date to expect it moves later while it waits."),
    gettext_noop("Resolved"),
    gettext_noop("The city says it is fixed; whoever reported it can confirm or say it is not."),
    gettext_noop("Closed"),
    gettext_noop("Finished."),
    gettext_noop("Fixed"),
    gettext_noop("Duplicate of another request"),
    gettext_noop("Referred to another agency"),
    gettext_noop("No action needed"),
    gettext_noop("Cannot be fixed"),
)


@dataclass(frozen=True)
class StatusBadge:
    value: str
    label: str
    colour: str
    description: str


def status_badge(status: str) -> StatusBadge:
    """The status as the resident sees it: the workflow's label and colour, in the active language."""
    info = STATUSES[Status(status)]
    return StatusBadge(status, gettext(info.label), info.colour, gettext(info.description))


def resolution_text(resolution: str) -> str:
    return gettext(RESOLUTIONS[Resolution(resolution)].public_text) if resolution else ""


@dataclass
class TimelineEntry:
    at: datetime
    title: str
    note: str = ""
    badge: StatusBadge | None = None
    photos: list[Attachment] = field(default_factory=list)


def _title(event: RequestEvent) -> str:
    data: dict[str, Any] = event.data or {}
    match (event.kind, event.action):
        case (RequestEvent.Kind.SUBMITTED, _):
            return gettext("Reported")
        case (RequestEvent.Kind.IMPORTED, _):
            return gettext("Recorded from the city's earlier system")
        case (_, "route"):
            department = data.get("department")
            return gettext("Sent to %(department)s") % {"department": department} if department else gettext("Routed")
        case (_, "assign"):
            return gettext("Assigned to a member of the crew")
        case (_, "start"):
            return gettext("Work started")
        case (_, "hold"):
            return gettext("Put on hold")
        case (_, "resume"):
            return gettext("Work resumed")
        case (_, "resolve"):
            return gettext("Resolved: %(how)s") % {"how": resolution_text(data.get("resolution", ""))}
        case (_, "confirm"):
            return gettext("The reporter confirmed it is fixed")
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


def timeline_entries(events: Iterable[RequestEvent], *, shown: Callable[[str], str]) -> list[TimelineEntry]:
    """Public events, newest first, as titled entries (never internal notes: callers pass the public timeline);
    `shown` gives a note as this reader may read it (public_text)."""
    entries = []
    for event in events:
        if not event.is_public:  # belt and braces: the selector already leaves internal notes out
            continue
        entries.append(
            TimelineEntry(
                at=event.created_at,
                title=_title(event),
                note="" if event.kind in _SYSTEM_NOTES else shown(event.public_note),
                badge=status_badge(event.to_status) if event.to_status else None,
                photos=[photo for photo in event.attachments.all() if photo.is_public],
            )
        )
    entries.reverse()
    return entries


def completion_photo(request: ServiceRequest, events: Iterable[RequestEvent]) -> Attachment | None:
    """The photo staff attached when they last resolved it, while it stays resolved or closed."""
    if request.status not in (Status.RESOLVED, Status.CLOSED):
        return None
    found = None
    for event in events:
        photos = [p for p in event.attachments.all() if p.is_public and p.purpose == Attachment.Purpose.COMPLETION]
        if event.action == "resolve" and photos:
            found = photos[-1]
    return found
