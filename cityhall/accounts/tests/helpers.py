"""Helpers for sign-in tests: the code in a sign-in email, the current code of an authenticator app."""

from __future__ import annotations

import re
import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt

from cityhall.accounts.models import User


def code_from(message) -> str:
    """The one-time code in a sign-in or confirmation email."""
    found = re.search(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", message.body, re.MULTILINE)
    assert found, message.body
    return found.group(1)


def totp_code(secret: str) -> str:
    """What an authenticator app shows now for this secret, by allauth's own TOTP arithmetic."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def current_totp_code(user: User) -> str:
    """The current code of the user's authenticator app (the people fixture's staff have one)."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return totp_code(decrypt(authenticator.data["secret"]))
