"""What every message shares: the frame it is rendered in (language, the city's time zone), its
footer (why this person hears, how to stop) and the shapes of its channels."""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cityhall.catalogue.selectors import city_name, city_sentence_forms, site_city

from .. import links
from ..models import Channel, Message, RecipientKind

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
    RecipientKind.APPLICANT: _("You receive this because you made this application."),
    RecipientKind.RESIDENT: _("You receive this daily digest because you chose it in your preferences."),
    RecipientKind.STAFF: _("You receive this daily summary as a member of city staff."),
}
ASKED_TO_FOLLOW = _("You receive this because someone asked to follow a request with this address.")
STAFF_KINDS = frozenset({RecipientKind.ASSIGNEE, RecipientKind.SUPERVISOR, RecipientKind.STAFF})


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    unsubscribe_url: str
    html: str = ""
    link: str = ""  # where a push notification opens
    sender: str = ""  # the name an email is from: the city at its head
    tag: str = ""  # a push notification replaces an earlier one with the same tag


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
    return Rendered(
        subject=subject,
        text=_tidy(text),
        html=html,
        unsubscribe_url=context["unsubscribe_link"],
        sender=context["city_name"],
    )


def footer_context(message: Message) -> dict[str, Any]:
    """What every message starts and ends with: who speaks (the city), why they hear, how to stop."""
    kind = RecipientKind(message.recipient_kind)
    because = ASKED_TO_FOLLOW if message.template == "follow_confirm" else BECAUSE[kind]
    # A request's own city, which in a deployment of several cities need not be the site's.
    city = message.request.jurisdiction if message.request else site_city()
    return {
        "lang": message.language,
        "city_name": city_name(city),  # alone: the head, the title, the sender
        **city_sentence_forms(city),  # the_city, from_the_city…: with its article, inside a sentence
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


def city_zone() -> zoneinfo.ZoneInfo:
    """The city's time zone (the site's city), for what is about no one request: digests and their day."""
    city = site_city()
    return zone_named(city.timezone if city is not None else settings.TIME_ZONE)


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
