"""Turning an outbox row into words: subject, plain text and HTML (email) or one short text (SMS, push).

`frame` is what every message shares; `request_message` a message about one request;
`application_message` one to an applicant about their application; `digest` a
daily digest, which lists the messages it carries (rendered by `request_message`); `weekly` a
supervisor's weekly digest of their department's figures.
"""

from __future__ import annotations

from django.utils import translation

from ..models import Message
from ..rules import APPLICATION_TEMPLATES
from .application_message import render_application_message
from .digest import DIGEST_TEMPLATES, render_digest
from .frame import Rendered
from .request_message import render_request_message
from .weekly import WEEKLY_TEMPLATES, render_weekly

__all__ = ["Rendered", "render"]


def render(message: Message) -> Rendered:
    """The message in its recipient's language, with times in the city's time zone."""
    # The context reads catalogue text (category and department names), which is in the active language.
    with translation.override(message.language):
        if message.template in DIGEST_TEMPLATES:
            return render_digest(message)
        if message.template in WEEKLY_TEMPLATES:
            return render_weekly(message)
        if message.template in APPLICATION_TEMPLATES:
            return render_application_message(message)
        return render_request_message(message)
