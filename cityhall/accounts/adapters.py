"""How allauth behaves for CityHall: staff single sign-on policy, the MFA step, refused sign-ins logged,
where a sign-in lands, when a sensitive step needs the password again, and the city as the emails' sender
and the authenticator app's issuer.

Policy (docs/accounts.md, "Staff single sign-on"): the city's identity provider signs in an
*existing*, active staff account whose verified address matches the provider's verified address.
It never creates an account; an unknown address, or a resident's, is refused with a clear page.
"""

from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse

from cityhall.core.city_names import site_name
from cityhall.core.sender import from_email

from . import sign_in_log
from .models import STAFF_ROLES, User


class CityAccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth ships no types
    def get_login_stages(self) -> list[str]:
        """allauth's stages, with the second-factor step that knows about a trusted city sign-in."""
        return [
            "cityhall.accounts.sso.SecondFactorStage" if stage == "allauth.mfa.stages.AuthenticateStage" else stage
            for stage in super().get_login_stages()
        ]

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Staff land on their workspace (/staff/ picks the page of their role); residents on the default.

        An explicit ?next= still wins: allauth only asks here when the sign-in carried none.
        """
        if getattr(request.user, "is_city_staff", False):
            return reverse("staff:home")
        return str(super().get_login_redirect_url(request))

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """A sign-in within the last ACCOUNT_REAUTHENTICATION_TIMEOUT seconds counts as recent authentication.

        allauth only counts an explicit re-entry of the password, so a new staff member asked to enrol a
        second factor straight after signing in was asked for the password again. Any sign-in method of
        this session (password, emailed code, passkey, second factor, city sign-in) now counts, for the
        same few minutes allauth allows after a re-entry.
        """
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        return not signed_in_recently(context.request)

    def format_email_subject(self, subject: str) -> str:
        """The city's name before the subject, as at the head of the site's pages ("City of Santa Monica: …")."""
        return f"{site_name()}: {subject}"

    def get_from_email(self) -> str:
        """From the city, as the notifications are: "City of Santa Monica <no-reply@…>"."""
        return from_email(site_name())

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            # Too many failures for this address or from this client: refused before the password is checked.
            sign_in_log.record_failure(request, method="password", email=credentials.get("email"), throttled=True)
            raise


class CityMFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]  # allauth ships no types
    def get_totp_issuer(self) -> str:
        """The city's name, which a staff member's authenticator app shows over the code ("City of Santa Monica").

        allauth's would be the static MFA_TOTP_ISSUER; the site serves a city, and its name is the catalogue's.
        """
        return site_name()


class CitySocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]  # allauth ships no types
    def list_apps(self, request: HttpRequest, provider: Any = None, client_id: Any = None) -> list[SocialApp]:
        """Only the provider configured by environment (settings); never one added to the database."""
        return [app for app in super().list_apps(request, provider=provider, client_id=client_id) if app.pk is None]

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False  # staff accounts are created by city admins, never through single sign-on

    def authenticate_by_email(self, sociallogin: SocialLogin) -> tuple[User, str] | None:
        """The active staff account whose verified address is one the identity provider verified."""
        for address in sociallogin.email_addresses:
            if not address.verified:
                continue
            local = (
                EmailAddress.objects.filter(
                    email__iexact=address.email, verified=True, user__is_active=True, user__role__in=STAFF_ROLES
                )
                .select_related("user")
                .first()
            )
            if local:
                return local.user, local.email
        return None

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        """Refuse, with a page saying why, an identity that leads to no active staff account."""
        user = sociallogin.user
        allowed = sociallogin.is_existing and user.is_active and user.role in STAFF_ROLES
        if sociallogin.state.get("process") == "connect":
            allowed = allowed and user == request.user  # one's own identity only, never another account's
        if not allowed:
            raise ImmediateHttpResponse(self._refusal(request, sociallogin))

    def _refusal(self, request: HttpRequest, sociallogin: SocialLogin) -> TemplateResponse:
        emails = [address.email for address in sociallogin.email_addresses]
        sign_in_log.record_failure(request, method="sso", email=emails[0] if emails else None)
        context = {"email": emails[0] if emails else "", "provider_name": sociallogin.provider.name}
        return TemplateResponse(request, "accounts/sso_refused.html", context, status=403)


def signed_in_recently(request: HttpRequest | None) -> bool:
    """Whether this session's signed-in user authenticated, by any method, within the reauthentication window."""
    if request is None or not request.user.is_authenticated:
        return False
    records = get_authentication_records(request, request.user)
    latest = max((record.get("at", 0) for record in records), default=0)
    return bool(time.time() - latest < account_settings.REAUTHENTICATION_TIMEOUT)
