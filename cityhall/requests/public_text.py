"""A request's words as strangers see them at intake: the public description, without anyone's contacts.

The duplicate cards ("Is it one of these?") show other people's reports to a resident in the middle
of their own. They show only public fields, and from those remove what could say who reported it:
the reporter's own name, email and phone (a description often repeats them), any email address and
any phone number. The tracking page, Open311 and the public list show the public fields as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from cityhall.core.contact import PHONE_DIGITS

from .models import ServiceRequest
from .services.privacy import EMAIL_PATTERN, contact_scrubber, reporter_contacts

HIDDEN = "…"
EXCERPT_CHARACTERS = 120
# A run of digits with the separators people type; counted below, so "1685 Main" or "2024-05-01" stay.
NUMBER_RUN = re.compile(r"\+?\(?\d[\d ().-]{4,}\d")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _without_phone_numbers(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        digits = sum(char.isdigit() for char in found)
        if ISO_DATE.fullmatch(found.strip()) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
            return found
        return HIDDEN

    return NUMBER_RUN.sub(replace, text)


def without_contacts(text: str, personal: Iterable[str]) -> str:
    """`text` with these personal strings (and each word of a name), emails and phone numbers hidden."""
    scrubbed = contact_scrubber(personal, replacement=HIDDEN)(text or "")
    return _without_phone_numbers(EMAIL_PATTERN.sub(HIDDEN, scrubbed)).strip()


def public_description(request: ServiceRequest) -> str:
    return without_contacts(request.description, reporter_contacts(request))


def public_place(request: ServiceRequest) -> str:
    """The address when there is one, else the reporter's description of the place."""
    return without_contacts(request.address or request.location_description, reporter_contacts(request))


def excerpt(text: str, limit: int = EXCERPT_CHARACTERS) -> str:
    """The start of a text, cut at a word, with an ellipsis when there is more."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(" ,.;:") + "…"
