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
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cityhall.requests import access
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
PUSH_BODY_CHARACTERS = 160
# Why this person hears: the last lines of every message.
BECAUSE = {
    RecipientKind.REPORTER: _("You receive this because you reported this request."),
    RecipientKind.SUPPORTER: _("You receive this because you supported this request."),
    RecipientKind.FOLLOWER: _("You receive this because you follow this request."),
    RecipientKind.WATCHER: _("You receive this because you watch this area."),
    RecipientKind.ASSIGNEE: _("You receive this because this request is, or was, assigned to you."),
    RecipientKind.SUPERVISOR: _("You receive this because you supervise the department's queue."),
    RecipientKind.RESIDENT: _("You receive this daily digest because you chose it in your preferences."),
    RecipientKind.STAFF: _("You receive this daily summary as a member of city staff."),
}
ASKED_TO_FOLLOW = _("You receive this because someone asked to follow a request with this address.")
STAFF_KINDS = frozenset({RecipientKind.ASSIGNEE, RecipientKind.SUPERVISOR, RecipientKind.STAFF})
DIGEST_TEMPLATES = frozenset({"digest", "staff_digest"})


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    unsubscribe_url: str
    html: str = ""
    link: str = ""  # where a push notification opens
    tag: str = ""  # a push notification replaces an earlier one with the same tag


def render(message: Message) -> Rendered:
    """The message in its recipient's language, with times in the city's time zone."""
    # The context reads catalogue text (category and department names), which is in the active language.
    with translation.override(message.language):
        if message.template in DIGEST_TEMPLATES:
            from .digests import digest_context  # the digest renders the messages it carries with this module

            context = digest_context(message)
            zone = context["timezone"]
        else:
            context = _context(message)
            zone = _city_timezone(message.request) if message.request else zoneinfo.ZoneInfo("UTC")
        return render_with(message, context, zone)


def render_with(message: Message, context: dict[str, Any], zone: zoneinfo.ZoneInfo) -> Rendered:
    with translation.override(message.language), timezone.override(zone):
        subject = _one_line(render_to_string(f"notifications/{message.template}/subject.txt", context))
        if message.channel == Channel.PUSH:
            short = render_to_string("notifications/push.txt", {**context, "subject": subject})
            tag = f"request-{message.request.public_id}" if message.request else message.template
            body = _one_line(short)[:PUSH_BODY_CHARACTERS]
            return Rendered(subject=subject, text=body, unsubscribe_url="", link=context["link"], tag=tag)
        if message.channel == Channel.SMS:
            text = render_to_string("notifications/sms.txt", {**context, "subject": subject}).strip()
            return Rendered(subject=subject, text=_squeeze(text), unsubscribe_url=context["unsubscribe_link"])
        text = render_to_string(f"notifications/{message.template}/body.txt", context)
        html = render_to_string(f"notifications/{message.template}/body.html", context)
    return Rendered(subject=subject, text=_tidy(text), html=html, unsubscribe_url=context["unsubscribe_link"])


def footer_context(message: Message) -> dict[str, Any]:
    """What every message ends with: why they hear, how to stop."""
    kind = RecipientKind(message.recipient_kind)
    because = ASKED_TO_FOLLOW if message.template == "follow_confirm" else BECAUSE[kind]
    return {
        "lang": message.language,
        "template": message.template,
        "because": because,
        "is_supervisor": kind == RecipientKind.SUPERVISOR,
        "is_follower": kind == RecipientKind.FOLLOWER,
        "is_reporter": kind == RecipientKind.REPORTER,
        "is_staff": kind in STAFF_KINDS,
        "unsubscribe_link": links.unsubscribe_link(Channel(message.channel), message.address),
        "preferences_link": links.absolute(reverse("notifications:preferences")),
        "sms_note_characters": SMS_NOTE_CHARACTERS,
    }


def _where(address: str, zone: str) -> str:
    """“Near 1685 Main St · Pico”, said in the language active when the message is rendered."""
    if address.startswith("near "):
        address = gettext("Near %(address)s") % {"address": address[len("near ") :]}
    return " · ".join(part for part in (address, zone) if part)


_where_lazy = lazy(_where, str)


def place_of(request: ServiceRequest) -> Any:
    """Where the request is, with its neighborhood; rendered lazily, in the message's language."""
    zone = request.zone.name if request.zone is not None else ""
    return _where_lazy(request.address or request.location_description, zone)


def _context(message: Message) -> dict[str, Any]:
    request, event = message.request, message.event
    assert request is not None, "only digests are about no request"
    kind = RecipientKind(message.recipient_kind)
    is_reporter = kind == RecipientKind.REPORTER
    # Only the reporter gets the tracking token, and only when they have no account to sign in with.
    with_token = is_reporter and request.reporter_id is None
    data = {**(event.data if event else {}), **message.data}
    resolution = data.get("resolution") or request.resolution
    link = (
        links.staff_request_link(request) if kind in STAFF_KINDS else links.request_link(request, with_token=with_token)
    )
    return {
        **footer_context(message),
        "with_token": with_token,
        "request": request,
        "service_name": request.service.name,
        "place": place_of(request),
        "department": request.department.name if request.department else "",
        "expected_at": request.expected_at,
        "note": event.public_note if event else "",
        "hold_reason": request.hold_reason or (event.public_note if event else ""),
        "resolution": resolution,
        "resolution_text": RESOLUTION_TEXT.get(resolution, ""),
        "referred_to": data.get("referred_to") or request.referred_to,
        "referral_url": data.get("referral_url") or request.referral_url,
        "duplicate_of": data.get("duplicate_of", ""),
        "duplicate_link": _duplicate_link(data.get("duplicate_of", "")),
        # The system's own notes are English sentences; the templates say them in the reader's language.
        "by_the_system": event is not None and event.actor_role == "system",
        "auto_close_days": request.jurisdiction.auto_close_days,
        "photo_url": _completion_photo_url(event) if event else "",
        "link": link,
        "fixed_link": links.request_link(request, with_token=with_token, fixed="yes") if is_reporter else "",
        "not_fixed_link": links.request_link(request, with_token=with_token, fixed="no") if is_reporter else "",
        "stop_following_link": _stop_following_link(message) if _is_following(message) else "",
        "confirm_link": links.follow_confirm_link(int(data["follow_id"])) if "follow_id" in data else "",
        "assignee": str(request.assignee) if request.assignee else "",
        "previous_assignee": data.get("previous_assignee") or "",
        "sla_hours": request.service.sla_hours,
    }


def _is_following(message: Message) -> bool:
    return message.recipient_kind == RecipientKind.FOLLOWER and message.template != "follow_confirm"


def _stop_following_link(message: Message) -> str:
    from .models import Follow

    assert message.request is not None
    follow = Follow.objects.filter(request=message.request, email=message.address).first()
    return links.stop_following_link(follow.pk) if follow else ""


def _duplicate_link(public_id: str) -> str:
    return links.absolute(f"/requests/{public_id}") if public_id else ""


def _completion_photo_url(event: RequestEvent) -> str:
    photo = (
        Attachment.objects.filter(event=event, purpose=Attachment.Purpose.COMPLETION, is_public=True)
        .select_related("request__service")
        .order_by("created_at", "id")
        .first()
    )
    # A mail client fetches the picture without the reader's session or device cookie, so only an
    # open photo is linked; a private category's stays behind the tracking page's access check.
    return links.absolute(photo.image.url) if photo and access.photo_is_open(photo) else ""


def _city_timezone(request: ServiceRequest) -> zoneinfo.ZoneInfo:
    return zone_named(request.jurisdiction.timezone)


def zone_named(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
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
