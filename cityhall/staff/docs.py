"""The staff actions table of docs/staff.md, generated from the workflow table (a test keeps it current)."""

from __future__ import annotations

from cityhall.requests.workflow import RULES, Action, Role

# The staff roles by the Role enum's own names (access.py derives them per request).
ROLE_NAMES = {role: role.label.lower() for role in (Role.AGENT, Role.STAFF, Role.CREW, Role.SUPERVISOR, Role.ADMIN)}
RESIDENT_ONLY = {Action.CONFIRM, Action.SUPPORT}
BEGIN, END = "<!-- staff-actions:begin -->", "<!-- staff-actions:end -->"


def render_staff_actions() -> str:
    """One row per action and group of statuses: who on staff may take it, and what it needs."""
    groups: dict[tuple[str, str, str, str], list[str]] = {}
    for rule in RULES:
        if rule.action in RESIDENT_ONLY:
            continue
        who = ", ".join(name for role, name in ROLE_NAMES.items() if role in rule.roles)
        needs = ", ".join(sorted(need.value for need in rule.needs)) or "—"
        target = rule.target.value if rule.target else "—"
        groups.setdefault((rule.action.value, who, needs, target), []).append(f"`{rule.source.value}`")
    lines = [BEGIN, "| action | from | to | who may take it | needs |", "|---|---|---|---|---|"]
    for (action, who, needs, target), sources in groups.items():
        lines.append(f"| {action} | {', '.join(sources)} | {target} | {who} | {needs} |")
    lines.append(END)
    return "\n".join(lines)
