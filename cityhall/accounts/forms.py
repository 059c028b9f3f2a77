"""Small changes to allauth's forms: labels it leaves untranslated (MFA_FORMS in config/settings.py)."""

from __future__ import annotations

from typing import Any

from allauth.mfa.webauthn.forms import AddWebAuthnForm
from django.utils.translation import gettext_lazy as _


class AddPasskeyForm(AddWebAuthnForm):
    """Adding a passkey or security key, with its fields labelled in the person's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Name of this key")  # allauth relies on Django's untranslated default
        if "passwordless" in self.fields:
            self.fields["passwordless"].label = _("Use it to sign in without a password (a passkey)")
