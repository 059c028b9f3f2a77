"""From committed application events to outbox rows: the applicant hears what rules.APPLICATION_RULES says.

One message per event and recipient (the idempotency key names the event), by email to the applicant's
account address in the application's language. A person's request topics and daily digest do not apply:
these are the city's questions with a deadline and its decisions, which no one asked to be held or muted;
an unsubscribed address is still honoured (storing and sending check it).
"""

from __future__ import annotations

from collections.abc import Iterable

from cityhall.applications import selectors
from cityhall.applications.models import ApplicationEvent, Status

from .. import rules
from ..models import Channel, Message, RecipientKind
from ..recipients import Recipient, language_or_default, normalise_email
from .storing import message_store


def application_messages_plan(event_ids: Iterable[int]) -> list[Message]:
    """Store the messages these application events call for (once, however often this runs); return them."""
    planned: list[Message] = []
    for event in selectors.events_by_ids(list(event_ids)):
        template = _template_for(event)
        recipient = _applicant_of(event) if template else None
        if template is None or recipient is None:
            continue
        planned += message_store(
            scope=f"application-event:{event.pk}",
            template=template,
            recipient=recipient,
            data={"application_id": event.application_id, "event_id": event.pk},
        )
    return planned


def _template_for(event: ApplicationEvent) -> str | None:
    template = rules.APPLICATION_RULES.get(event.kind)
    if template != "application_decided":
        return template
    status = event.application.status
    if status == Status.APPROVED:
        return "application_approved"
    return "application_denied" if status == Status.DENIED else None


def _applicant_of(event: ApplicationEvent) -> Recipient | None:
    applicant = event.application.applicant
    if not applicant.is_active or not applicant.email:
        return None
    return Recipient(
        RecipientKind.APPLICANT,
        Channel.EMAIL,
        normalise_email(applicant.email),
        language_or_default(event.application.language),
        applicant.pk,
    )
