"""The writes of the notifications app, each on its own tables only: callers import from here.

From events to messages (`planning`, with `staff_notices` and `area_alerts`; `applications` for the
applications' events), the clock's messages (`sla`, `digests`, `weekly_digests`), storing each message
once (`storing`) and sending it (`delivery`), upkeep of the outbox (`housekeeping`), what people ask for
(`follows`, `subscriptions`) and forgetting a person (`erasure`).
"""

from .applications import application_messages_plan
from .delivery import message_deliver
from .digests import resident_digests_make, staff_digests_make
from .erasure import addresses_forget
from .follows import FollowResult, Outcome, follow_add, follow_confirm, follow_stop, needs_sending
from .housekeeping import stuck_messages_fail
from .planning import messages_plan
from .sla import sla_warnings_plan, sla_warnings_sweep
from .subscriptions import (
    area_alert_add,
    area_alert_remove,
    preference_save,
    push_subscribe,
    push_unsubscribe,
    unsubscribe_add,
)
from .weekly_digests import weekly_digests_make

__all__ = [
    "FollowResult",
    "Outcome",
    "addresses_forget",
    "application_messages_plan",
    "area_alert_add",
    "area_alert_remove",
    "follow_add",
    "follow_confirm",
    "follow_stop",
    "message_deliver",
    "messages_plan",
    "needs_sending",
    "preference_save",
    "push_subscribe",
    "push_unsubscribe",
    "resident_digests_make",
    "sla_warnings_plan",
    "sla_warnings_sweep",
    "staff_digests_make",
    "stuck_messages_fail",
    "unsubscribe_add",
    "weekly_digests_make",
]
