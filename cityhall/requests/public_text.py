"""A request's words as strangers read them: the one rule for free text anyone may see.

Everything public shows only public fields, and from their free text (description, place, status
notes, public replies) removes what could say who reported it: the reporter's own name, email and
phone (a description often repeats them), any email address and any phone number. The duplicate
cards ("Is it one of these?"), the tracking page (to anyone but the requester and staff), the public
list and map, Open311 and open data (cityhall/opendata/privacy.py) all apply it; the requester and
staff read the original.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from typing import Any

from cityhall.core.contact import PHONE_DIGITS

from .models import ServiceRequest
from .services.privacy import EMAIL_PATTERN, contact_scrubber, contacts_of, reporter_contacts

HIDDEN = "…"
EXCERPT_CHARACTERS = 120
# A run of digits with the separators people type; counted below, so "1685 Main" or "2024-05-01" stay.
NUMBER_RUN = re.compile(r"\+?\(?\d[\d ().-]{4,}\d")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ANY_DIGIT = re.compile(r"\d")


def _without_phone_numbers(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        digits = sum(char.isdigit() for char in found)
        if ISO_DATE.fullmatch(found.strip()) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
            return found
        return HIDDEN

    return NUMBER_RUN.sub(replace, text)


def public_text(text: str, personal: Iterable[str]) -> str:
    """The rule: `text` with these personal strings (and each word of a name), emails and phone numbers
    hidden, and otherwise exactly as written (Open311 promises the description as sent)."""
    return public_text_rule(personal)(text)


def public_text_rule(personal: Iterable[str]) -> Callable[[str], str]:
    """`public_text` for one reporter's contacts, built once for all the texts of their request."""
    hide_contacts = contact_scrubber(personal, replacement=HIDDEN)

    def shown(text: str) -> str:
        if not text:
            return ""
        text = hide_contacts(text)
        if "@" in text:
            text = EMAIL_PATTERN.sub(HIDDEN, text)
        # A phone number has digits: most texts have none, and skip the regular expression.
        return _without_phone_numbers(text) if ANY_DIGIT.search(text) else text

    return shown


def without_contacts(text: str, personal: Iterable[str]) -> str:
    """`public_text`, trimmed: for the duplicate cards' excerpts."""
    return public_text(text, personal).strip()


PUBLIC_ROW_TEXT = ("description", "status_note", "address", "location_description")


@functools.lru_cache(maxsize=4096)
def _reporter_rule(name: str | None, email: str | None, phone: str | None) -> Callable[[str], str]:
    """One reporter's rule, remembered per process: clients poll the same first pages over and over,
    and building the rule cost more than the rest of a list's row."""
    return public_text_rule(contacts_of([(name, email, phone)]))


Reporter = tuple[str | None, str | None, str | None]


@functools.lru_cache(maxsize=2048)
def _shown_of(reporter: Reporter, text: str) -> str:
    """A text as shown, remembered per process for the same reason: a page's texts are asked again and
    again. Bounded in entries, and texts in length (requests/bounds.py), so in memory."""
    return _reporter_rule(*reporter)(text)


def public_row_text(row: dict[str, Any], reporter: Reporter | None = None) -> None:
    """A public row with its free text scrubbed: without the reporter's contacts, given as (name, email,
    phone) or else read from the row (reporter_name, _email, _phone) and removed from it."""
    if reporter is None:
        reporter = (row.pop("reporter_name"), row.pop("reporter_email"), row.pop("reporter_phone"))
    for name in PUBLIC_ROW_TEXT:
        if row[name]:
            row[name] = _shown_of(reporter, row[name])


REPORTER_OF_EVENT = ("request__reporter_name", "request__reporter_email", "request__reporter_phone")


def public_event_row(row: dict[str, Any]) -> dict[str, Any]:
    """A public timeline row (values() with REPORTER_OF_EVENT) with its note scrubbed and those contacts removed."""
    shown = _reporter_rule(
        row.pop("request__reporter_name"), row.pop("request__reporter_email"), row.pop("request__reporter_phone")
    )
    if row["public_note"]:
        row["public_note"] = shown(row["public_note"])
    return row


def public_text_of(service_request: ServiceRequest) -> Callable[[str], str]:
    """The rule for this request's free text: without its reporter's contacts, emails or phone numbers."""
    return public_text_rule(reporter_contacts(service_request))


def as_written(text: str) -> str:
    """Free text for those who may read the original: the requester and staff."""
    return text


def public_description(service_request: ServiceRequest) -> str:
    return without_contacts(service_request.description, reporter_contacts(service_request))


def public_place(service_request: ServiceRequest) -> str:
    """The address when there is one, else the reporter's description of the place."""
    return without_contacts(
        service_request.address or service_request.location_description, reporter_contacts(service_request)
    )


def excerpt(text: str, limit: int = EXCERPT_CHARACTERS) -> str:
    """The start of a text, cut at a word, with an ellipsis when there is more."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(" ,.;:") + "…"
