"""Staff single sign-on through the city's identity provider (OpenID Connect), and what it means for MFA.

The provider is configured by environment (config/settings.py, docs/accounts.md) under the fixed
provider id "city". Our own second factor is still asked for after a city sign-in, unless
CITYHALL_OIDC_TRUST_MFA says the city's provider already enforces one for this application.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from allauth.account.signals import user_logged_in
from allauth.mfa.stages import AuthenticateStage
from django.conf import settings
from django.dispatch import receiver
from django.http import HttpRequest

PROVIDER_ID = "city"
# Set in the session when it was opened through the city's provider; read by the staff MFA gate.
SESSION_KEY = "cityhall_signed_in_by_city_sso"


def is_configured() -> bool:
    """True when the environment configures the city's identity provider."""
    return bool(settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS"))


def provider_origin() -> str:
    """scheme://host[:port] of the identity provider, for the page's form-action policy."""
    parts = urlsplit(settings.CITYHALL_OIDC_SERVER_URL)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def _came_through_city_provider(sociallogin: Any) -> bool:
    return sociallogin is not None and sociallogin.account.provider == PROVIDER_ID


def city_mfa_is_trusted(request: HttpRequest) -> bool:
    """Whether this session's sign-in through the city's provider stands in for our second factor."""
    return settings.CITYHALL_OIDC_TRUST_MFA and bool(request.session.get(SESSION_KEY))


class SecondFactorStage(AuthenticateStage):  # type: ignore[misc]  # allauth ships no types
    """allauth's second-factor step, skipped for a city sign-in when the city's MFA is trusted."""

    def _should_handle(self, request: HttpRequest) -> bool:
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        if settings.CITYHALL_OIDC_TRUST_MFA and _came_through_city_provider(sociallogin):
            return False
        return bool(super()._should_handle(request))


@receiver(user_logged_in, dispatch_uid="cityhall_remember_city_sso")
def remember_how_the_session_was_opened(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """Each sign-in says afresh whether it came through the city's provider."""
    if _came_through_city_provider(kwargs.get("sociallogin")):
        request.session[SESSION_KEY] = True
    else:
        request.session.pop(SESSION_KEY, None)
