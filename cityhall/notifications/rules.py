"""Who hears what: one table from timeline events to messages. docs/notifications.md lists it in words.

Events are keyed by (RequestEvent.kind, action); a key that is missing, or maps to None, sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from cityhall.accounts.roles import STAFF_ROLES, Role
from cityhall.requests.models import RequestEvent

from .models import RecipientKind

Kind = RequestEvent.Kind
REPORTER = frozenset({RecipientKind.REPORTER})
# Followers hear what supporters hear: the outcome.
REPORTER_AND_SUPPORTERS = frozenset({RecipientKind.REPORTER, RecipientKind.SUPPORTER, RecipientKind.FOLLOWER})
# The reporter acting themselves, or an Open311 partner relaying what the reporter said.
REPORTER_ROLES = frozenset({Role.REQUESTER, Role.PARTNER})


@dataclass(frozen=True)
class Rule:
    template: str
    audience: frozenset[RecipientKind]
    # Sent at most once in a request's life, whichever event triggers it first (routed/assigned:
    # residents want to know someone has it, not every internal step).
    once_per_request: str = ""
    # Only when staff wrote a public note with the step (a bare "started" is an internal step).
    only_staff_replies: bool = False
    # Someone who just did it themselves (confirmed, say) needs no message saying so.
    not_to_reporter_acting: bool = False


RULES: dict[tuple[str, str], Rule | None] = {
    (Kind.SUBMITTED, ""): Rule("receipt", REPORTER),
    # Routing in the moment of submission is told by the receipt (planning skips that event).
    (Kind.TRANSITION, "route"): Rule("routed", REPORTER, once_per_request="taken_up"),
    (Kind.TRANSITION, "assign"): Rule("assigned", REPORTER, once_per_request="taken_up"),
    (Kind.TRANSITION, "start"): Rule("reply", REPORTER, only_staff_replies=True),
    (Kind.TRANSITION, "hold"): Rule("on_hold", REPORTER),
    (Kind.TRANSITION, "resume"): Rule("reply", REPORTER, only_staff_replies=True),
    (Kind.TRANSITION, "resolve"): Rule("resolved", REPORTER_AND_SUPPORTERS),
    (Kind.TRANSITION, "confirm"): Rule("closed", REPORTER_AND_SUPPORTERS, not_to_reporter_acting=True),
    (Kind.TRANSITION, "close"): Rule("closed", REPORTER_AND_SUPPORTERS),
    (Kind.TRANSITION, "reopen"): Rule("reopened", REPORTER),
    (Kind.COMMENT, "comment"): Rule("reply", REPORTER, only_staff_replies=True),
    # Never sent: staff-only, or nothing a resident needs to act on.
    (Kind.NOTE, "note"): None,
    (Kind.RECATEGORISED, "recategorise"): None,
    (Kind.SUPPORTED, "support"): None,
    (Kind.MERGED, ""): None,
    (Kind.IMPORTED, ""): None,
}


@dataclass(frozen=True)
class StaffRule:
    """A notice to city staff about an event: who, and on which condition (in words for the docs)."""

    template: str
    audience: frozenset[RecipientKind]
    when: str


# Staff hear about work that lands on them. The previous assignee of a reopened request is read from
# the reopen event (data["previous_assignee"]); the supervisors are the department queue's people.
STAFF_RULES: dict[tuple[str, str], StaffRule] = {
    (Kind.TRANSITION, "assign"): StaffRule(
        "assigned_to_you", frozenset({RecipientKind.ASSIGNEE}), "not when they assigned it to themselves"
    ),
    (Kind.TRANSITION, "reopen"): StaffRule(
        "reopened_not_fixed",
        frozenset({RecipientKind.ASSIGNEE, RecipientKind.SUPERVISOR}),
        "only when the resident (or their Open311 app) says it is not fixed; the assignee is the last one",
    ),
}

# Residents watching an area hear of new requests and resolutions there (never of private categories).
AREA_RULES: dict[tuple[str, str], str] = {
    (Kind.SUBMITTED, ""): "area_new",
    (Kind.TRANSITION, "resolve"): "area_resolved",
}

# The applicant of an application for a digital service hears of what they must act on and of its outcome,
# by the application's event kind (cityhall.applications.models.ApplicationEvent.Kind). The decision is told
# with its signed document (`document_issued`, moments after `approved` or `denied`), so the email carries
# the document's number and the page where anyone can verify it.
APPLICATION_RULES: dict[str, str | None] = {
    "submitted": None,  # the resident has just signed it on the site, which confirms it there
    "info_requested": "application_info_requested",
    "info_provided": None,  # they answered themselves
    "approved": None,  # told with the document
    "denied": None,  # told with the document
    "document_issued": "application_decided",  # application_approved or application_denied, by its status
    "withdrawn": "application_withdrawn",
    "expired": "application_expired",
    "note": None,  # internal, never sent
}
APPLICATION_TEMPLATES = (
    "application_info_requested",
    "application_approved",
    "application_denied",
    "application_withdrawn",
    "application_expired",
)
APPLICATION_NOT_SENT = {
    "submitted": "never: the site confirms it as they sign",
    "info_provided": "never: they answered themselves",
    "approved": "not now: told with the signed document (`document_issued`)",
    "denied": "not now: told with the signed document (`document_issued`)",
}
APPLICATION_WHEN = {
    "info_requested": "with the question, a link to answer and the date it expires unanswered",
    "document_issued": (
        "when the decision is signed and sealed, moments after it is taken: `application_approved` (with its "
        "conditions) or `application_denied` (with the reason), each with the document's number and verify link"
    ),
    "withdrawn": "always (they may have withdrawn it on another device)",
    "expired": "always",
}

AUDIENCE_ORDER = (
    RecipientKind.REPORTER,
    RecipientKind.SUPPORTER,
    RecipientKind.FOLLOWER,
    RecipientKind.WATCHER,
    RecipientKind.ASSIGNEE,
    RecipientKind.SUPERVISOR,
    RecipientKind.APPLICANT,
)
AUDIENCE_WORDS = {
    RecipientKind.REPORTER: "the reporter",
    RecipientKind.SUPPORTER: "supporters",
    RecipientKind.FOLLOWER: "followers",
    RecipientKind.WATCHER: "residents watching the area",
    RecipientKind.ASSIGNEE: "the assignee",
    RecipientKind.SUPERVISOR: "the department's supervisors",
    RecipientKind.APPLICANT: "the applicant",
}
TEMPLATES = tuple(
    dict.fromkeys(
        [rule.template for rule in RULES.values() if rule is not None]
        + [rule.template for rule in STAFF_RULES.values()]
        + list(AREA_RULES.values())
        + list(APPLICATION_TEMPLATES)
        + ["sla_warning", "sla_breach", "digest", "staff_digest", "weekly_digest", "follow_confirm"]
    )
)


def is_staff_reply(event: RequestEvent) -> bool:
    """Something staff wrote for the public on the timeline."""
    return event.kind != Kind.NOTE and bool(event.public_note.strip()) and event.actor_role in STAFF_ROLES


def rule_for(event: RequestEvent) -> Rule | None:
    """The rule for this event, if it applies to it (a reply needs a note, and staff to have written it)."""
    if event.kind == Kind.NOTE:
        return None  # internal notes are never sent, whatever the table says
    rule = RULES.get((event.kind, event.action))
    if rule is None:
        return None
    if rule.only_staff_replies and not is_staff_reply(event):
        return None
    return rule


def who_hears_what_markdown() -> str:
    """The table above in words, for docs/notifications.md (a test keeps the two in step)."""
    lines = ["| event (kind / action) | message | who hears it | when |", "|---|---|---|---|"]
    for (kind, action), rule in RULES.items():
        event = f"`{kind}`" + (f" / `{action}`" if action else "")
        if rule is None:
            lines.append(f"| {event} | — | nobody | never |")
            continue
        who = _words(rule.audience)
        conditions = []
        if rule.once_per_request:
            conditions.append(
                "once per request: routed or assigned, whichever comes first (later, a public note "
                "written with it goes out as a `reply`)"
            )
        if kind == Kind.TRANSITION and action == "route":
            conditions.append("not when routed at submission (the receipt names the department)")
        if rule.only_staff_replies:
            conditions.append("only when staff wrote a public note")
        if rule.not_to_reporter_acting:
            conditions.append("not to a reporter who did it themselves")
        lines.append(f"| {event} | `{rule.template}` | {who} | {'; '.join(conditions) or 'always'} |")
    for (kind, action), staff_rule in STAFF_RULES.items():
        event = f"`{kind}`" + (f" / `{action}`" if action else "")
        lines.append(f"| {event} | `{staff_rule.template}` | {_words(staff_rule.audience)} | {staff_rule.when} |")
    for (kind, action), template in AREA_RULES.items():
        event = f"`{kind}`" + (f" / `{action}`" if action else "")
        lines.append(
            f"| {event} | `{template}` | {_words(frozenset({RecipientKind.WATCHER}))} | "
            "when the request is in their area and categories, and not of a private category |"
        )
    for kind, application_template in APPLICATION_RULES.items():
        event = f"application `{kind}`"
        if application_template is None:
            lines.append(f"| {event} | — | nobody | {APPLICATION_NOT_SENT.get(kind, 'never')} |")
            continue
        shown = (
            "`application_approved` / `application_denied`"
            if application_template == "application_decided"
            else f"`{application_template}`"
        )
        lines.append(
            f"| {event} | {shown} | {_words(frozenset({RecipientKind.APPLICANT}))} | {APPLICATION_WHEN[kind]} |"
        )
    return "\n".join(lines) + "\n"


def _words(audience: frozenset[RecipientKind]) -> str:
    names = [AUDIENCE_WORDS[kind] for kind in AUDIENCE_ORDER if kind in audience]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
