"""Reading what arrived: the parts of a received email, and acting on requests as staff would."""

from __future__ import annotations

import re
from email.message import EmailMessage

from cityhall.requests import services
from cityhall.requests.events import Actor
from cityhall.requests.models import ServiceRequest
from cityhall.requests.services import Change
from cityhall.requests.workflow import Action


def act(request: ServiceRequest, action: Action, who: Actor, **change: object) -> None:
    services.service_request_transition(service_request=request, action=action, actor=who, change=Change(**change))  # type: ignore[arg-type]


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None, "no plain-text part"
    return str(part.get_content()).replace("\r\n", "\n")


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None, "no HTML part"
    return str(part.get_content())


def unsubscribe_url(message: EmailMessage) -> str:
    found = re.fullmatch(r"<(https://[^>]+)>", str(message["List-Unsubscribe"]).strip())
    assert found, message["List-Unsubscribe"]
    return found.group(1)


def links_in(text: str) -> list[str]:
    return re.findall(r"https://[^\s\"<>]+", text)


def subject_of(message: EmailMessage) -> str:
    # A long or non-ASCII subject is folded onto a continuation line; the fold is not part of it.
    return str(message["Subject"]).strip()
