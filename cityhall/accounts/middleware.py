"""Staff work only with two factors: a staff page opens once the account has TOTP or a passkey."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from cityhall.core.middleware import content_security_policy

from . import sso
from .models import STAFF_ROLES

# Pages that act for the city. The sign-in and two-factor set-up pages stay reachable, or a
# new staff member could never enrol.
STAFF_PREFIXES = ("/admin/", "/staff/")


def staff_without_second_factor(request: HttpRequest) -> bool:
    """Staff signed in without TOTP, a passkey or the city's trusted sign-in: not yet acting for the city."""
    user = request.user
    return (
        user.is_authenticated
        and user.role in STAFF_ROLES
        and not is_mfa_enabled(user)
        and not sso.city_mfa_is_trusted(request)
    )


class StaffNeedTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(STAFF_PREFIXES) and staff_without_second_factor(request):
            messages.info(request, _("City staff need a second factor: set up an authenticator app or a passkey."))
            return redirect("mfa_index")
        return self.get_response(request)


class SingleSignOnFormActionMiddleware:
    """Lets the sign-in pages' forms lead on to the city's identity provider.

    Browsers apply a page's `form-action` policy to the redirect that follows a form post too, so
    the "Sign in with …" button, which posts here and is sent on to the provider, needs its origin.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        origin = sso.provider_origin() if sso.is_configured() else ""
        if (
            origin
            and request.path.startswith("/accounts/")
            and "Content-Security-Policy" not in response
            and response.get("Content-Type", "").startswith("text/html")
        ):
            response["Content-Security-Policy"] = content_security_policy(request, form_action=origin)
        return response
