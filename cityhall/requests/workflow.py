"""The request lifecycle as a table: statuses, actions, who may take each, and what each needs.

Pure Python, no ORM. The staff buttons, the API's validation, the Open311 status mapping and the
state diagram in docs/workflow.md all come from these tables, so they cannot disagree. Every word is
kept here once as a lazy translation, so each page reads it in its reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override, pgettext_lazy

from cityhall.accounts.roles import Role as Role  # the one Role; the table speaks of it per request
from cityhall.core.transition_table import TransitionTable

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class Status(StrEnum):
    SUBMITTED = "submitted"
    ROUTED = "routed"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Resolution(StrEnum):
    FIXED = "fixed"
    DUPLICATE = "duplicate"
    REFERRED = "referred"
    NO_ACTION = "no_action"
    CANNOT_FIX = "cannot_fix"


class Action(StrEnum):
    ROUTE = "route"
    ASSIGN = "assign"
    START = "start"
    HOLD = "hold"
    RESUME = "resume"
    RESOLVE = "resolve"
    CONFIRM = "confirm"
    CLOSE = "close"
    REOPEN = "reopen"
    COMMENT = "comment"
    NOTE = "note"
    RECATEGORISE = "recategorise"
    SUPPORT = "support"
    # Not in the table: the requester's one rating, decided with the request's history (available.py).
    FEEDBACK = "feedback"


class Need(StrEnum):
    """What an action cannot be taken without."""

    DEPARTMENT = "department"
    ASSIGNEE = "assignee"
    REASON = "reason"
    PUBLIC_NOTE = "public_note"
    INTERNAL_NOTE = "internal_note"
    RESOLUTION = "resolution"
    SERVICE = "service"


@dataclass(frozen=True)
class StatusInfo:
    """A status's words and colour, kept once (NetBox's ChoiceSet): lazy, so each reader gets their language."""

    label: StrPromise  # as residents read it (tracking page, public list, the admin)
    colour: str  # the badge and map colour everywhere
    open311: str  # GeoReport v2 `status`: "open" or "closed"
    fms: str  # FixMyStreet extended status
    description: StrPromise
    staff_label: StrPromise | None = None  # where the staff workspace says it differently (its triage vocabulary)

    @property
    def for_staff(self) -> StrPromise:
        return self.staff_label or self.label


STATUSES: dict[Status, StatusInfo] = {
    Status.SUBMITTED: StatusInfo(
        # In context: an application's bare "Submitted" says it was sent ("Enviada"); a request was received.
        pgettext_lazy("status of a request", "Submitted"),
        "#71767a",
        "open",
        "FOR_TRIAGE",
        _("Received; the 311 desk will send it to the team in charge."),
        staff_label=_("New (triage)"),
    ),
    Status.ROUTED: StatusInfo(
        _("In the department's queue"),
        "#005ea2",
        "open",
        "OPEN",
        _("Waiting for the department to assign it."),
        staff_label=_("In the queue"),
    ),
    Status.ASSIGNED: StatusInfo(
        _("Assigned"), "#1a4480", "open", "ACTION_SCHEDULED", _("Someone is assigned to do the work.")
    ),
    Status.IN_PROGRESS: StatusInfo(_("In progress"), "#c05600", "open", "IN_PROGRESS", _("The work has started.")),
    Status.ON_HOLD: StatusInfo(
        _("On hold"),
        "#8b0a03",
        "open",
        "INVESTIGATING",
        _("Paused for now; the date to expect it moves later while it waits."),
    ),
    Status.RESOLVED: StatusInfo(
        _("Resolved"),
        "#00a91c",
        "closed",
        "FIXED",
        _("The city says it is fixed; whoever reported it can confirm or say it is not."),
    ),
    Status.CLOSED: StatusInfo(_("Closed"), "#1b1b1b", "closed", "CLOSED", _("Finished.")),
}


@dataclass(frozen=True)
class ResolutionInfo:
    label: StrPromise  # as staff choose it, and the admin and Open311 name it
    fms: str
    needs: frozenset[Need]
    # As the tracking page's timeline tells the resident, in the context "timeline": a staff label with
    # the same English ("No action needed") is said differently in the workspace.
    public_text: StrPromise


RESOLUTIONS: dict[Resolution, ResolutionInfo] = {
    Resolution.FIXED: ResolutionInfo(
        _("Fixed"), "FIXED", frozenset({Need.PUBLIC_NOTE}), pgettext_lazy("timeline", "Fixed")
    ),
    Resolution.DUPLICATE: ResolutionInfo(
        _("Duplicate"), "DUPLICATE", frozenset(), pgettext_lazy("timeline", "Duplicate of another request")
    ),
    Resolution.REFERRED: ResolutionInfo(
        _("Referred to another agency"),
        "NOT_COUNCILS_RESPONSIBILITY",
        frozenset(),
        pgettext_lazy("timeline", "Referred to another agency"),
    ),
    Resolution.NO_ACTION: ResolutionInfo(
        _("No action needed"), "CLOSED", frozenset({Need.REASON}), pgettext_lazy("timeline", "No action needed")
    ),
    Resolution.CANNOT_FIX: ResolutionInfo(
        _("Cannot fix"), "NO_FURTHER_ACTION", frozenset({Need.REASON}), pgettext_lazy("timeline", "Cannot be fixed")
    ),
}


def in_english(text: StrPromise) -> str:
    """A table word as the API, the docs and domain messages say it, whatever language is active."""
    with override("en"):
        return str(text)


@cache
def status_name(status: Status) -> str:
    """The English label of a status (Open311 notes): once per process, it never changes."""
    return in_english(STATUSES[status].label)


@cache
def resolution_name(resolution: Resolution) -> str:
    return in_english(RESOLUTIONS[resolution].label)


@dataclass(frozen=True)
class Transition:
    """Taking `action` in `source` leads to `target` (None: the status does not change)."""

    source: Status
    action: Action
    target: Status | None
    roles: frozenset[Role]
    needs: frozenset[Need] = frozenset()


OPEN = (Status.SUBMITTED, Status.ROUTED, Status.ASSIGNED, Status.IN_PROGRESS, Status.ON_HOLD)
DONE = (Status.RESOLVED, Status.CLOSED)
DESK = frozenset({Role.AGENT, Role.SUPERVISOR, Role.ADMIN})
DEPARTMENT = frozenset({Role.STAFF, Role.SUPERVISOR, Role.ADMIN})
WORKERS = frozenset({Role.STAFF, Role.CREW, Role.SUPERVISOR, Role.ADMIN})
ALL_STAFF = frozenset({Role.AGENT, Role.STAFF, Role.CREW, Role.SUPERVISOR, Role.ADMIN})


def _rule(
    sources: Iterable[Status], action: Action, target: Status | None, roles: frozenset[Role], *needs: Need
) -> list[Transition]:
    return [Transition(source, action, target, roles, frozenset(needs)) for source in sources]


RULES: list[Transition] = [
    *_rule([Status.SUBMITTED], Action.ROUTE, Status.ROUTED, DESK | {Role.SYSTEM}, Need.DEPARTMENT),
    # Re-routing sends it to another department's queue, unassigned.
    *_rule(
        [Status.ROUTED, Status.ASSIGNED, Status.IN_PROGRESS, Status.ON_HOLD],
        Action.ROUTE,
        Status.ROUTED,
        DESK,
        Need.DEPARTMENT,
    ),
    *_rule(
        [Status.ROUTED, Status.ASSIGNED, Status.IN_PROGRESS, Status.ON_HOLD],
        Action.ASSIGN,
        Status.ASSIGNED,
        DEPARTMENT,
        Need.ASSIGNEE,
    ),
    *_rule([Status.ROUTED, Status.ASSIGNED], Action.START, Status.IN_PROGRESS, WORKERS),
    *_rule([Status.ASSIGNED, Status.IN_PROGRESS], Action.HOLD, Status.ON_HOLD, WORKERS, Need.REASON),
    *_rule([Status.ON_HOLD], Action.RESUME, Status.IN_PROGRESS, WORKERS),
    # From triage the desk may resolve too: a duplicate, a referral, or nothing to act on.
    *_rule([Status.SUBMITTED], Action.RESOLVE, Status.RESOLVED, DESK, Need.RESOLUTION),
    # The application resolves what a device raised once its readings are back to normal (docs/devices.md).
    *_rule(
        [Status.ROUTED, Status.ASSIGNED, Status.IN_PROGRESS, Status.ON_HOLD],
        Action.RESOLVE,
        Status.RESOLVED,
        ALL_STAFF | {Role.SYSTEM},
        Need.RESOLUTION,
    ),
    *_rule([Status.RESOLVED], Action.CONFIRM, Status.CLOSED, frozenset({Role.REQUESTER, Role.PARTNER})),
    *_rule([Status.RESOLVED], Action.CLOSE, Status.CLOSED, frozenset({Role.SUPERVISOR, Role.ADMIN, Role.SYSTEM})),
    # A reopen lands back in the owning department's queue (in triage when it never had one).
    *_rule(
        DONE,
        Action.REOPEN,
        Status.ROUTED,
        frozenset({Role.REQUESTER, Role.PARTNER}) | ALL_STAFF - {Role.CREW},
        Need.REASON,
    ),
    *_rule([*OPEN, *DONE], Action.COMMENT, None, ALL_STAFF | {Role.PARTNER}, Need.PUBLIC_NOTE),
    # The application notes a device's further alarms on the request it opened.
    *_rule([*OPEN, *DONE], Action.NOTE, None, ALL_STAFF | {Role.SYSTEM}, Need.INTERNAL_NOTE),
    *_rule(OPEN, Action.RECATEGORISE, None, DESK | {Role.STAFF}, Need.SERVICE),
    *_rule(OPEN, Action.SUPPORT, None, frozenset({Role.PUBLIC, Role.REQUESTER})),
]

TABLE: TransitionTable[Status, Action, Role, Transition] = TransitionTable(RULES, Action)
TRANSITIONS = TABLE.rules
transition_for = TABLE.transition_for
may = TABLE.may
allowed_actions = TABLE.allowed_actions


def fms_status(status: Status, resolution: Resolution | None) -> str:
    """FixMyStreet's extended status: resolved and closed requests say how they ended."""
    if status in DONE and resolution is not None:
        if status is Status.CLOSED and resolution is Resolution.FIXED:
            return "FIXED"
        return RESOLUTIONS[resolution].fms
    return STATUSES[status].fms


def mermaid_diagram() -> str:
    """The state diagram of the status-changing transitions, for docs/workflow.md."""
    lines = ["stateDiagram-v2", "    [*] --> submitted"]
    edges: dict[tuple[Status, Status], list[str]] = {}
    for rule in RULES:
        if rule.target is not None:
            edges.setdefault((rule.source, rule.target), []).append(rule.action.value)
    for (source, target), actions in edges.items():
        lines.append(f"    {source.value} --> {target.value}: {' / '.join(dict.fromkeys(actions))}")
    lines.append("    closed --> [*]")
    return "\n".join(lines) + "\n"
