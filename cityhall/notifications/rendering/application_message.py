"""A message to an applicant about their application: the question, the decision and its document, the end.

Rendered when sent from the application as it stands (cityhall.applications.selectors), in the
application's language, with times in its city's time zone.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse

from cityhall.applications import bounds
from cityhall.applications import selectors as application_selectors
from cityhall.applications.models import ApplicationEvent, StepStatus
from cityhall.documents.links import verify_url

from .. import links
from ..models import Message
from .frame import Rendered, city_zone, footer_context, render_with


def render_application_message(message: Message) -> Rendered:
    return render_with(message, application_context(message), city_zone())


def application_context(message: Message) -> dict[str, Any]:
    found = application_selectors.events_by_ids([int(message.data["event_id"])])
    assert found, "an application message names its event"
    event = found[0]
    application = event.application
    context: dict[str, Any] = {
        **footer_context(message),
        "application": application,
        "service_name": application.service.name,
        "link": links.absolute(reverse("citizen:application_status", args=[application.reference])),
    }
    if event.kind == ApplicationEvent.Kind.INFO_REQUESTED:
        context["question"] = event.text
        context["answer_by"] = event.at + timedelta(days=bounds.INFO_RESPONSE_DAYS)
    if event.kind == ApplicationEvent.Kind.DOCUMENT_ISSUED:
        steps = application_selectors.steps_of(application)
        context["conditions"] = [step.conditions for step in steps if step.conditions]
        context["reason"] = next((step.reason for step in steps if step.status == StepStatus.DENIED), "")
        number = str(event.data.get("number") or application.document_number)
        context["document_number"] = number
        context["verify_link"] = verify_url(number) if number else ""
    if event.kind == ApplicationEvent.Kind.WITHDRAWN:
        context["reason"] = event.text
    return context
