"""Turning an outbox row into words: subject, plain text and HTML (email) or one short text (SMS).

Rendered when sent, not stored: the bodies carry the anonymous reporter's tracking token, which the
outbox must not keep.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cityhall.requests.models import Attachment, RequestEvent, ServiceRequest

from . import links
from .models import Channel, Message, RecipientKind

RESOLUTION_TEXT = {
    "fixed": _("It has been fixed."),
    "duplicate": _("It is a duplicate of another request, which carries on in its place."),
    "referred": _("It is for another agency, and was referred to them."),
    "no_action": _("No action is needed."),
    "cannot_fix": _("It cannot be fixed."),
}
SMS_NOTE_CHARACTERS = 240


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    unsubscribe_url: str
    html: str = ""


def render(message: Message) -> Rendered:
    """The message in its recipient's language, with times in the city's time zone."""
    context = _context(message)
    with translation.override(message.language), timezone.override(_city_timezone(message.request)):
        subject = _one_line(render_to_string(f"notifications/{message.template}/subject.txt", context))
        if message.channel == Channel.SMS:
            text = render_to_string("notifications/sms.txt", {**context, "subject": subject}).strip()
            return Rendered(subject=subject, text=_squeeze(text), unsubscribe_url=context["unsubscribe_link"])
        text = render_to_string(f"notifications/{message.template}/body.txt", context)
        html = render_to_string(f"notifications/{message.template}/body.html", context)
    return Rendered(subject=subject, text=_tidy(text), html=html, unsubscribe_url=context["unsubscribe_link"])


def _context(message: Message) -> dict[str, Any]:
    request, event = message.request, message.event
    is_reporter = message.recipient_kind == RecipientKind.REPORTER
    # Only the reporter gets the tracking token, and only when they have no account to sign in with.
    with_token = is_reporter and request.reporter_id is None
    data = event.data or {}
    resolution = data.get("resolution") or request.resolution
    return {
        "lang": message.language,
        "template": message.template,
        "is_reporter": is_reporter,
        "with_token": with_token,
        "request": request,
        "service_name": request.service.name,
        "place": request.address or request.location_description,
        "department": request.department.name if request.department else "",
        "expected_at": request.expected_at,
        "note": event.public_note,
        "hold_reason": request.hold_reason or event.public_note,
        "resolution": resolution,
        "resolution_text": RESOLUTION_TEXT.get(resolution, ""),
        "referred_to": data.get("referred_to") or request.referred_to,
        "referral_url": data.get("referral_url") or request.referral_url,
        "duplicate_of": data.get("duplicate_of", ""),
        "duplicate_link": _duplicate_link(data.get("duplicate_of", "")),
        # The system's own notes are English sentences; the templates say them in the reader's language.
        "by_the_system": event.actor_role == "system",
        "auto_close_days": request.jurisdiction.auto_close_days,
        "photo_url": _completion_photo_url(event),
        "link": links.request_link(request, with_token=with_token),
        "fixed_link": links.request_link(request, with_token=with_token, fixed="yes") if is_reporter else "",
        "not_fixed_link": links.request_link(request, with_token=with_token, fixed="no") if is_reporter else "",
        "unsubscribe_link": links.unsubscribe_link(Channel(message.channel), message.address),
        "sms_note_characters": SMS_NOTE_CHARACTERS,
    }


def _duplicate_link(public_id: str) -> str:
    return links.absolute(f"/requests/{public_id}") if public_id else ""


def _completion_photo_url(event: RequestEvent) -> str:
    photo = (
        Attachment.objects.filter(event=event, purpose=Attachment.Purpose.COMPLETION, is_public=True)
        .order_by("created_at", "id")
        .first()
    )
    return links.absolute(photo.image.url) if photo else ""


def _city_timezone(request: ServiceRequest) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(request.jurisdiction.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _squeeze(text: str) -> str:
    """SMS: single spaces and no blank lines (the template cuts the note short)."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def _tidy(text: str) -> str:
    """Plain text from a template: no runs of blank lines left by template tags, no trailing spaces."""
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
