"""What staff read, in their language: SLA states, actions, event kinds, domain messages.

Statuses and resolutions are the workflow table's words (`STATUSES[...].for_staff`, `RESOLUTIONS`);
priorities and channels the request model's choices (`Priority(...).label`, `Channel(...).label`).

The domain keeps its words in English (they are also the API's); the staff pages translate them here.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

from cityhall.applications.workflow import Action as ApplicationAction
from cityhall.requests.queues import Sla
from cityhall.requests.workflow import Action

SLA = {
    Sla.NONE: _("No promised date"),
    Sla.PAUSED: _("Clock paused"),
    Sla.DONE: _("Finished"),
    Sla.OK: _("On time"),
    Sla.AT_RISK: _("At risk"),
    Sla.OVERDUE: _("Overdue"),
}

ACTION = {
    Action.ROUTE: _("Route"),
    Action.ASSIGN: _("Assign"),
    Action.START: _("Start work"),
    Action.HOLD: _("Put on hold"),
    Action.RESUME: _("Resume"),
    Action.RESOLVE: _("Resolve"),
    Action.CLOSE: _("Close"),
    Action.REOPEN: _("Reopen"),
    Action.COMMENT: _("Public reply"),
    Action.NOTE: _("Internal note"),
    Action.RECATEGORISE: _("Change category"),
    Action.CONFIRM: _("Confirm"),
    Action.SUPPORT: _("Support"),
}

# What the workspace says after an action succeeds: a sentence, not "Done: Resolve."
ACTION_DONE = {
    Action.ROUTE: _("Sent to the department."),
    Action.ASSIGN: _("Assigned."),
    Action.START: _("Work started."),
    Action.HOLD: _("Put on hold."),
    Action.RESUME: _("Work resumed."),
    Action.RESOLVE: _("Resolved. The resident is asked to confirm it is fixed."),
    Action.CLOSE: _("Closed."),
    Action.REOPEN: _("Reopened."),
    Action.COMMENT: _("Reply published."),
    Action.NOTE: _("Internal note saved."),
    Action.RECATEGORISE: _("Category changed."),
    Action.CONFIRM: _("Confirmed as fixed."),
    Action.SUPPORT: _("Support added."),
}

EVENT = {
    "submitted": _("Submitted"),
    "transition": _("Status change"),
    "comment": _("Public reply"),
    "note": _("Internal note"),
    "recategorised": _("Category changed"),
    "supported": _("Support added"),
    "merged": _("Duplicate merged in"),
    "imported": _("Imported"),
    "feedback": _("Feedback"),
}

# Who acted, as an event keeps it when no person is named (events.Actor.main_role).
ACTOR = {
    "admin": pgettext_lazy("who acted", "City admin"),
    "supervisor": pgettext_lazy("who acted", "Supervisor"),
    "agent": pgettext_lazy("who acted", "311 agent"),
    "staff": pgettext_lazy("who acted", "Department staff"),
    "crew": pgettext_lazy("who acted", "Field crew"),
    "partner": pgettext_lazy("who acted", "Open311 partner"),
    "requester": pgettext_lazy("who acted", "Requester"),
    # The application's own steps (routing on submit, auto-close, the SLA sweep) are the city's, not the
    # software's: `who_acted` names the site's city with this.
    "system": pgettext_lazy("who acted: the city's name, then that no person did it", "%(city)s, automatically"),
}

# Also used by templates/base.html's "Staff" link, which sits outside this app.
SITE_LINK = gettext_noop("Staff")


def label(table: dict[Any, Any], key: object) -> str:
    found = table.get(key)
    return str(found) if found is not None else str(key)


# What the application page says after an action succeeds.
APPLICATION_DONE = {
    ApplicationAction.APPROVE: _("Step approved."),
    ApplicationAction.APPROVE_WITH_CONDITIONS: _("Step approved with conditions."),
    ApplicationAction.DENY: _("Application denied. The applicant is told why."),
    ApplicationAction.ASK_INFO: _("Question sent. The review waits for the applicant's answer."),
    ApplicationAction.NOTE: _("Internal note saved."),
}
