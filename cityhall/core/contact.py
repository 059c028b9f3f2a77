"""What counts as an email address or a phone number: one rule for forms, services and the outbox."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cityhall.core import clock

# Digits with the separators people type: "+1 (310) 555-0100", "310.555.0100". A "+" only leads.
PHONE_CHARACTERS = re.compile(r"\+?[0-9 ().-]+")
# E.164 numbers have at most 15 digits; fewer than 7 reaches no one outside a switchboard.
PHONE_DIGITS = (7, 15)
PHONE_MESSAGE = _("Enter a phone number of 7 to 15 digits, such as 310-555-0100.")


def validate_phone(value: str) -> None:
    digits = sum(char in "0123456789" for char in value)
    if not PHONE_CHARACTERS.fullmatch(value.strip()) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        raise ValidationError(PHONE_MESSAGE, code="invalid_phone")


def is_phone(value: str) -> bool:
    try:
        validate_phone(value)
    except ValidationError:
        return False
    return True


def is_email(value: str) -> bool:
    """Django's address rule (the one EmailField uses), and the 254 characters SMTP allows a path."""
    try:
        validate_email(value)
    except ValidationError:
        return False
    return len(value) <= 254


# The email a resident gave in this visit ("add my support", "About you", "Follow"), kept in the
# session so the next form reuses it instead of asking again. Only an address that passed is_email,
# and only for GIVEN_EMAIL_KEPT: the visit's report flow, not the next person at a shared computer.
GIVEN_EMAIL_SESSION_KEY = "cityhall_given_email"
GIVEN_EMAIL_KEPT = timedelta(hours=2)


def remember_given_email(request: HttpRequest, email: str) -> None:
    email = email.strip().lower()
    if is_email(email):
        request.session[GIVEN_EMAIL_SESSION_KEY] = [email, clock.now().isoformat()]


def given_email(request: HttpRequest) -> str:
    """The email this visit gave last, within GIVEN_EMAIL_KEPT; else ""."""
    # Decoded session JSON, or None: whatever it holds, unpacking it below checks its shape.
    kept: Any = request.session.get(GIVEN_EMAIL_SESSION_KEY) if hasattr(request, "session") else None
    try:
        email, given_at = kept
        fresh = clock.now() - datetime.fromisoformat(given_at) <= GIVEN_EMAIL_KEPT
    except (TypeError, ValueError):
        return ""
    return email if fresh and isinstance(email, str) and is_email(email) else ""


def masked_email(email: str) -> str:
    """Enough of an address for its owner to recognise it, not enough for a passer-by: "m•••@example.org"."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}" if domain else ""


def masked_phone(phone: str) -> str:
    """The last two digits: "•••45"."""
    digits = "".join(char for char in phone if char.isdigit())
    return f"•••{digits[-2:]}" if len(digits) >= 2 else ""
