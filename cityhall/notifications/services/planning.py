"""From committed events to outbox rows: who hears what (rules.py), each message stored exactly once."""

from __future__ import annotations

from collections.abc import Iterable

from cityhall.requests import selectors
from cityhall.requests.models import RequestEvent

from .. import rules
from ..models import Message, RecipientKind, SlaWarning
from ..recipients import Recipient, audience_of
from .area_alerts import area_alerts_plan
from .staff_notices import staff_notices_plan
from .storing import idempotency_key, message_store


def messages_plan(event_ids: Iterable[int]) -> list[Message]:
    """Store the messages these events call for (once, however often this runs); return them in order."""
    planned: list[Message] = []
    for event in selectors.events_by_ids(list(event_ids)):
        if event.action == "reopen":
            # A reopen starts a new SLA: its 75% and overdue warnings may be given again.
            # Only warnings from before it: a second run of this task must not wipe the new SLA's warnings.
            SlaWarning.objects.filter(request_id=event.request_id, created_at__lt=event.created_at).delete()
        planned += _resident_messages(event)
        planned += staff_notices_plan(event)
        planned += area_alerts_plan(event)
    return planned


def _resident_messages(event: RequestEvent) -> list[Message]:
    rule = rules.rule_for(event)
    if rule is None or _told_by_the_receipt(event):
        return []
    planned = []
    for recipient in audience_of(event.request, rule.audience):
        if rule.not_to_reporter_acting and _acted_themselves(event, recipient):
            continue
        planned += _store_for_rule(event, rule, recipient)
    return planned


def _store_for_rule(event: RequestEvent, rule: rules.Rule, recipient: Recipient) -> list[Message]:
    template, scope, key_template = rule.template, f"event:{event.pk}", rule.template
    if rule.once_per_request:
        # Routed and assigned share one key per request, so whichever comes first is the only one sent.
        scope, key_template = f"request:{event.request_id}", rule.once_per_request
        key = idempotency_key(scope, key_template, recipient)
        if Message.objects.filter(idempotency_key=key).exclude(event=event).exists():
            if not rules.is_staff_reply(event):
                return []
            # They already know who has it; a public note written with this step is still a reply.
            template, scope, key_template = "reply", f"event:{event.pk}", "reply"
    return message_store(scope=scope, template=template, recipient=recipient, event=event, key_template=key_template)


def _told_by_the_receipt(event: RequestEvent) -> bool:
    """Routing in the same moment as the submission: the receipt already names the department."""
    return event.action == "route" and event.created_at == event.request.requested_at


def _acted_themselves(event: RequestEvent, recipient: Recipient) -> bool:
    return recipient.kind == RecipientKind.REPORTER and event.actor_role in rules.REPORTER_ROLES
