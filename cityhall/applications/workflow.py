"""The approval workflow of an application as a table: statuses, actions, who may take each, what each needs.

Pure Python, no ORM, like `cityhall/requests/workflow.py`. The services, `available.py` (what a page
offers) and the table in docs/digital-services.md ("Approval workflow") all come from `RULES`, so they
cannot disagree. Every word is kept here once as a lazy translation.

Roles are what a person is *to this application* (`access.roles_for`): the applicant, a step's owner
(`STAFF` or `SUPERVISOR` of the step's department, as the step's role allows: `STEP_OWNER`), staff of
an involved department (a department owning one of its steps: `INVOLVED`), the 311 desk and admins
(they read; least privilege: an admin decides no step they do not own), the application (`SYSTEM`) and
anyone (`PUBLIC`). Step actions (approve, approve with conditions, deny, ask for information) are taken
on one open step and judged by the actor's roles *to that step*.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from cityhall.accounts.roles import Role as Role  # the one Role
from cityhall.core.transition_table import TransitionTable

from .models import Status as Status
from .models import StepStatus as StepStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class Action(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    APPROVE_WITH_CONDITIONS = "approve_with_conditions"
    DENY = "deny"
    ASK_INFO = "ask_info"
    RESPOND = "respond"
    WITHDRAW = "withdraw"
    EXPIRE = "expire"
    NOTE = "note"


class Need(StrEnum):
    """What an action cannot be taken without."""

    STEP = "step"  # an open step the actor owns
    SECOND_FACTOR = "second_factor"  # the decider's sign-off becomes their PAdES signature
    CONDITIONS = "conditions"
    REASON = "reason"
    QUESTION = "question"
    ANSWER = "answer"
    NOTE = "note"
    SIGNATURE = "signature"  # the applicant's typed name and consent (application_submit)
    WAITED = "waited"  # the info request is older than bounds.INFO_RESPONSE_DAYS


@dataclass(frozen=True)
class StatusInfo:
    label: StrPromise
    colour: str
    description: StrPromise
    is_open: bool  # still moving: the applicant or the city has something to do


STATUSES: dict[Status, StatusInfo] = {
    Status.DRAFT: StatusInfo(_("Draft"), "#71767a", _("Not sent yet: only you can see it."), True),
    Status.SUBMITTED: StatusInfo(
        _("Submitted"), "#005ea2", _("Received by the city, which will contact you about it."), True
    ),
    Status.IN_REVIEW: StatusInfo(_("In review"), "#1a4480", _("The city's departments are reviewing it."), True),
    Status.INFO_REQUESTED: StatusInfo(
        _("Information requested"),
        "#c05600",
        _("The city asked you a question: answer it so the review can go on."),
        True,
    ),
    Status.APPROVED: StatusInfo(_("Approved"), "#00a91c", _("Approved: the city's decision is signed."), False),
    Status.DENIED: StatusInfo(_("Denied"), "#8b0a03", _("Denied: the decision says why."), False),
    Status.WITHDRAWN: StatusInfo(_("Withdrawn"), "#1b1b1b", _("Withdrawn by the applicant."), False),
    Status.EXPIRED: StatusInfo(
        _("Expired"), "#1b1b1b", _("Closed: the city's question went unanswered for too long."), False
    ),
}

ACTION_LABELS: dict[Action, StrPromise] = {
    Action.SUBMIT: _("Sign and submit"),
    Action.APPROVE: _("Approve"),
    Action.APPROVE_WITH_CONDITIONS: _("Approve with conditions"),
    Action.DENY: _("Deny"),
    Action.ASK_INFO: _("Ask the applicant"),
    Action.RESPOND: _("Answer the city"),
    Action.WITHDRAW: _("Withdraw"),
    Action.EXPIRE: _("Expire"),
    Action.NOTE: _("Add an internal note"),
}

STEP_STATUSES: dict[StepStatus, StrPromise] = {status: status.label for status in StepStatus}


def in_english(text: StrPromise) -> str:
    with override("en"):
        return str(text)


@dataclass(frozen=True)
class Transition:
    """Taking `action` in `source` leads to `target` (None: the status does not change).

    `may_end` is where a step action can take the application instead, when it was the last step
    (approve: approved).
    """

    source: Status
    action: Action
    target: Status | None
    roles: frozenset[Role]
    needs: frozenset[Need] = frozenset()
    may_end: Status | None = None


# The step's owner: department staff (when the step allows staff) or supervisors of the step's department.
STEP_OWNER = frozenset({Role.STAFF, Role.SUPERVISOR})
# Staff of a department owning one of the application's steps (whatever the step's role).
INVOLVED = frozenset({Role.STAFF, Role.SUPERVISOR})
APPLICANT = frozenset({Role.APPLICANT})
STEP_ACTIONS = frozenset({Action.APPROVE, Action.APPROVE_WITH_CONDITIONS, Action.DENY, Action.ASK_INFO})
UNDECIDED = (Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED)
DECIDED = (Status.APPROVED, Status.DENIED, Status.WITHDRAWN, Status.EXPIRED)


def _rule(
    sources: Iterable[Status],
    action: Action,
    target: Status | None,
    roles: frozenset[Role],
    *needs: Need,
    may_end: Status | None = None,
) -> list[Transition]:
    return [Transition(source, action, target, roles, frozenset(needs), may_end) for source in sources]


RULES: list[Transition] = [
    # To in review when its version has steps; a version without any leaves it "submitted".
    *_rule([Status.DRAFT], Action.SUBMIT, Status.IN_REVIEW, APPLICANT, Need.SIGNATURE, may_end=Status.SUBMITTED),
    *_rule(
        [Status.IN_REVIEW],
        Action.APPROVE,
        Status.IN_REVIEW,
        STEP_OWNER,
        Need.STEP,
        Need.SECOND_FACTOR,
        may_end=Status.APPROVED,
    ),
    *_rule(
        [Status.IN_REVIEW],
        Action.APPROVE_WITH_CONDITIONS,
        Status.IN_REVIEW,
        STEP_OWNER,
        Need.STEP,
        Need.SECOND_FACTOR,
        Need.CONDITIONS,
        may_end=Status.APPROVED,
    ),
    *_rule([Status.IN_REVIEW], Action.DENY, Status.DENIED, STEP_OWNER, Need.STEP, Need.SECOND_FACTOR, Need.REASON),
    # The steps' SLA clock stops until the applicant answers.
    *_rule([Status.IN_REVIEW], Action.ASK_INFO, Status.INFO_REQUESTED, STEP_OWNER, Need.STEP, Need.QUESTION),
    # Every open step's due date moves later by the business time the question waited.
    *_rule([Status.INFO_REQUESTED], Action.RESPOND, Status.IN_REVIEW, APPLICANT, Need.ANSWER),
    *_rule(UNDECIDED, Action.WITHDRAW, Status.WITHDRAWN, APPLICANT),
    *_rule([Status.INFO_REQUESTED], Action.EXPIRE, Status.EXPIRED, frozenset({Role.SYSTEM}), Need.WAITED),
    *_rule([*UNDECIDED, *DECIDED], Action.NOTE, None, INVOLVED, Need.NOTE),
]

TABLE: TransitionTable[Status, Action, Role, Transition] = TransitionTable(RULES, Action)
TRANSITIONS = TABLE.rules
transition_for = TABLE.transition_for
may = TABLE.may
allowed_actions = TABLE.allowed_actions


def status_name(status: Status) -> str:
    return in_english(STATUSES[status].label)
