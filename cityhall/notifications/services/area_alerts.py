"""Area alerts: a message to each person watching the place of a new or resolved request."""

from __future__ import annotations

from cityhall.accounts.models import User
from cityhall.requests.models import RequestEvent

from .. import rules
from ..models import Channel, Delivery, Message, RecipientKind
from ..recipients import Recipient, audience_of, language_or_default, normalise_email, reporter_of
from ..selectors import alerts_matching
from .storing import message_store


def area_alerts_plan(event: RequestEvent) -> list[Message]:
    """Store an alert for each person watching this request's place and category, once per person."""
    template = rules.AREA_RULES.get((event.kind, event.action))
    service_request = event.request
    if template is None or service_request.service.is_private:
        return []
    # Those who hear about the request anyway (reporter, supporters, followers) need no alert on top.
    told = {recipient.address for recipient in audience_of(service_request, rules.REPORTER_AND_SUPPORTERS)}
    if (reporter := reporter_of(service_request)) is not None:
        told.add(reporter.address)
    watchers: dict[int, tuple[User, str]] = {}
    for alert in alerts_matching(service_request):
        user = alert.user
        if not user.is_active or normalise_email(user.email) in told:
            continue
        # Two alerts of one person covering the place: one message, as it happens if either says so.
        _, delivery = watchers.get(user.pk, (user, Delivery.DAILY))
        watchers[user.pk] = (user, Delivery.INSTANT if Delivery.INSTANT in (delivery, alert.delivery) else delivery)
    stored: list[Message] = []
    for user, delivery in watchers.values():
        recipient = Recipient(
            RecipientKind.WATCHER,
            Channel.EMAIL,
            normalise_email(user.email),
            language_or_default(user.language),
            user.pk,
        )
        scope = f"event:{event.pk}"
        stored += message_store(scope=scope, template=template, recipient=recipient, event=event, delivery=delivery)
    return stored
