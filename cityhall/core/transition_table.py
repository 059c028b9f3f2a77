"""A lifecycle's transitions as a table, asked the same three questions by every workflow.

Requests (`requests/workflow.py`) and applications (`applications/workflow.py`) each keep their
own statuses, actions and rules; what they ask of the rules is the same: the rule for a status and
an action, whether some roles may take it, and which actions some roles may take in a status.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any, Generic, Protocol, TypeVar

StatusT = TypeVar("StatusT", bound=Hashable)
ActionT = TypeVar("ActionT", bound=Hashable)
RoleT = TypeVar("RoleT", bound=Hashable)


class Rule(Protocol):
    """What the table reads of a workflow's own rule class."""

    @property
    def source(self) -> Any: ...
    @property
    def action(self) -> Any: ...
    @property
    def roles(self) -> frozenset[Any]: ...


RuleT = TypeVar("RuleT", bound=Rule)


class TransitionTable(Generic[StatusT, ActionT, RoleT, RuleT]):
    """`rules` (one per status and action; two are a mistake in the table) and every action, in the
    order pages list them."""

    def __init__(self, rules: Sequence[RuleT], actions: Iterable[ActionT]) -> None:
        self.rules: dict[tuple[StatusT, ActionT], RuleT] = {(rule.source, rule.action): rule for rule in rules}
        if len(self.rules) != len(rules):
            raise ValueError("two rules for the same status and action")
        self.actions = list(actions)

    def transition_for(self, status: StatusT, action: ActionT) -> RuleT | None:
        return self.rules.get((status, action))

    def may(self, status: StatusT, action: ActionT, roles: Iterable[RoleT]) -> bool:
        rule = self.rules.get((status, action))
        return rule is not None and not rule.roles.isdisjoint(roles)

    def allowed_actions(self, status: StatusT, roles: Iterable[RoleT]) -> list[ActionT]:
        """The actions these roles may take in this status, in the actions' order."""
        held = frozenset(roles)
        return [action for action in self.actions if self.may(status, action, held)]
