"""The "Approval workflow" tables of docs/digital-services.md, generated from workflow.py.

`cityhall application-workflow-docs` rewrites the part between the markers; a test fails when it is stale.
"""

from __future__ import annotations

from .workflow import ACTION_LABELS, RULES, STATUSES, in_english

START = "<!-- approval-workflow: generated from cityhall/applications/workflow.py -->"
END = "<!-- /approval-workflow -->"


def render_approval_markdown() -> str:
    lines = [
        START,
        "",
        "| status | label | meaning |",
        "|---|---|---|",
    ]
    lines += [
        f"| `{status.value}` | {in_english(info.label)} | {in_english(info.description)} |"
        for status, info in STATUSES.items()
    ]
    lines += [
        "",
        "| from | action | to | may end in | who | needs |",
        "|---|---|---|---|---|---|",
    ]
    for rule in RULES:
        who = ", ".join(sorted(role.value for role in rule.roles))
        needs = ", ".join(sorted(need.value for need in rule.needs)) or "—"
        target = f"`{rule.target.value}`" if rule.target else "—"
        end = f"`{rule.may_end.value}`" if rule.may_end else "—"
        action = f"{rule.action.value} ({in_english(ACTION_LABELS[rule.action])})"
        lines.append(f"| `{rule.source.value}` | {action} | {target} | {end} | {who} | {needs} |")
    lines += ["", END]
    return "\n".join(lines) + "\n"


def replace_in(text: str) -> str:
    """The document with its generated part rewritten (appended if it has none yet)."""
    if START in text and END in text:
        before, rest = text.split(START, 1)
        _old, after = rest.split(END, 1)
        return before + render_approval_markdown().rstrip("\n") + after
    return text.rstrip("\n") + "\n\n" + render_approval_markdown()
