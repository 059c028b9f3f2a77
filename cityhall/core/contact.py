"""What counts as an email address or a phone number: one rule for forms, services and the outbox."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

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
