"""docs/workflow.md, generated from the workflow tables (`cityhall workflow-docs` rewrites it)."""

from __future__ import annotations

from .workflow import RESOLUTIONS, RULES, STATUSES, in_english, mermaid_diagram


def render_workflow_markdown() -> str:
    lines = [
        "# The request workflow",
        "",
        "Generated from `cityhall/requests/workflow.py` by `cityhall workflow-docs`; a test fails when it is stale.",
        "",
        "```mermaid",
        mermaid_diagram().rstrip("\n"),
        "```",
        "",
        "## Statuses",
        "",
        "| status | label | staff label | colour | Open311 `status` | FixMyStreet status | meaning |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| `{s.value}` | {in_english(i.label)} | {in_english(i.for_staff)} | `{i.colour}` | `{i.open311}` | `{i.fms}` "
        f"| {in_english(i.description)} |"
        for s, i in STATUSES.items()
    ]
    lines += [
        "",
        "## Resolutions",
        "",
        "A resolved or closed request says how it ended; FixMyStreet clients see that as its extended status.",
        "",
        "| resolution | label | FixMyStreet status | also needs |",
        "|---|---|---|---|",
    ]
    for kind, info in RESOLUTIONS.items():
        extra = {"duplicate": "the parent request", "referred": "the agency (and a link)"}.get(kind.value, "")
        needs = ", ".join([*(n.value for n in sorted(info.needs)), *([extra] if extra else [])]) or "—"
        if kind.value == "fixed":
            needs += "; a completion photo where the category asks for one"
        lines.append(f"| `{kind.value}` | {in_english(info.label)} | `{info.fms}` | {needs} |")
    lines += [
        "",
        "## Actions",
        "",
        "Who may take each action in each status, and what it cannot be taken without. A dash in *to* means",
        "the status does not change. Department roles (staff, crew, supervisor) count only in the department",
        "that owns the request; the requester is the reporter's account or whoever holds the tracking link.",
        "",
        "| from | action | to | who | needs |",
        "|---|---|---|---|---|",
    ]
    for rule in RULES:
        who = ", ".join(sorted(role.value for role in rule.roles))
        needs = ", ".join(sorted(need.value for need in rule.needs)) or "—"
        target = rule.target.value if rule.target else "—"
        lines.append(f"| `{rule.source.value}` | {rule.action.value} | {target} | {who} | {needs} |")
    lines += [
        "",
        "Reopening a request that never had a department sends it to `submitted` (the 311 triage queue).",
        "The requester, agents and staff may reopen within the jurisdiction's reopen window; supervisors and",
        "admins at any time. Leaving `on_hold` restarts the SLA clock with the business time that was left.",
        "",
        "## Requests raised by devices",
        "",
        "A request a device's rule opened (channel `device`, docs/devices.md) skips the resident's confirmation:",
        "when the device's readings have been back to normal for the rule's time, the application (`system`)",
        "resolves it as fixed, with the reading as its public note, and closes it at once. Further alarms while",
        "it is open are internal notes by the application. Staff work it like any other request.",
        "",
    ]
    return "\n".join(lines)
