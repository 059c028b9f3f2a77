"""The table both workflows ask (their own tables are tested in requests/ and applications/)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cityhall.core.transition_table import TransitionTable


@dataclass(frozen=True)
class Rule:
    source: str
    action: str
    target: str | None
    roles: frozenset[str]


RULES = [
    Rule("open", "close", "closed", frozenset({"staff"})),
    Rule("open", "comment", None, frozenset({"staff", "public"})),
    Rule("closed", "reopen", "open", frozenset({"public"})),
]


def test_the_table_answers_by_status_action_and_roles_in_the_actions_order():
    table = TransitionTable(RULES, ["comment", "close", "reopen"])
    assert table.transition_for("open", "close") == RULES[0]
    assert table.transition_for("closed", "close") is None
    assert table.may("open", "comment", ["public"]) and not table.may("open", "close", ["public"])
    assert table.allowed_actions("open", ["staff", "public"]) == ["comment", "close"]
    assert table.allowed_actions("closed", ["staff"]) == []


def test_two_rules_for_one_status_and_action_are_refused():
    with pytest.raises(ValueError, match="two rules for the same status and action"):
        TransitionTable([*RULES, Rule("open", "close", "open", frozenset({"public"}))], ["close"])
