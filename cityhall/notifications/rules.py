"""Who hears what: one table from timeline events to messages. docs/notifications.md lists it in words.

Events are keyed by (RequestEvent.kind, action); a key that is missing, or maps to None, sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from cityhall.requests.models import RequestEvent

from .models import RecipientKind

Kind = RequestEvent.Kind
REPORTER = frozenset({RecipientKind.REPORTER})
REPORTER_AND_SUPPORTERS = frozenset({RecipientKind.REPORTER, RecipientKind.SUPPORTER})
STAFF_ROLES = frozenset({"agent", "staff", "crew", "supervisor", "admin"})
# The reporter acting themselves, or an Open311 partner relaying what the reporter said.
REPORTER_ROLES = frozenset({"requester", "partner"})


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

AUDIENCE_WORDS = {
    RecipientKind.REPORTER: "the reporter",
    RecipientKind.SUPPORTER: "supporters",
    RecipientKind.FOLLOWER: "followers",
    RecipientKind.ASSIGNEE: "the assignee",
    RecipientKind.SUPERVISOR: "the supervisor",
}
TEMPLATES = tuple(dict.fromkeys(rule.template for rule in RULES.values() if rule is not None))


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
        who = " and ".join(AUDIENCE_WORDS[audience] for audience in sorted(rule.audience))
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
    return "\n".join(lines) + "\n"
