"""How allauth behaves for CityHall: staff single sign-on policy, the MFA step, refused sign-ins logged.

Policy (docs/accounts.md, "Staff single sign-on"): the city's identity provider signs in an
*existing*, active staff account whose verified address matches the provider's verified address.
It never creates an account; an unknown address, or a resident's, is refused with a clear page.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template.response import TemplateResponse

from . import sign_in_log
from .models import STAFF_ROLES, User


class CityAccountAdapter(DefaultAccountAdapter):
    def get_login_stages(self) -> list[str]:
        """allauth's stages, with the second-factor step that knows about a trusted city sign-in."""
        return [
            "cityhall.accounts.sso.SecondFactorStage" if stage == "allauth.mfa.stages.AuthenticateStage" else stage
            for stage in super().get_login_stages()
        ]

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            # Too many failures for this address or from this client: refused before the password is checked.
            sign_in_log.record_failure(request, method="password", email=credentials.get("email"), throttled=True)
            raise


class CitySocialAccountAdapter(DefaultSocialAccountAdapter):
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
