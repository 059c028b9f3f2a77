"""Small changes to allauth's forms: labels it leaves untranslated or worded its own way (ACCOUNT_FORMS, MFA_FORMS)."""

from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms
from allauth.mfa.webauthn.forms import AddWebAuthnForm
from django.utils.translation import gettext_lazy as _


class AddPasskeyForm(AddWebAuthnForm):  # type: ignore[misc]  # allauth ships no types
    """Adding a passkey or security key, with its fields labelled in the person's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Name of this key")  # allauth relies on Django's untranslated default
        if "passwordless" in self.fields:
            self.fields["passwordless"].label = _("Use it to sign in without a password (a passkey)")


class LoginForm(allauth_forms.LoginForm):  # type: ignore[misc]  # allauth ships no types
    """allauth's sign-in form in the site's words: "Keep me signed in on this device", not "Remember Me:"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me signed in on this device")
