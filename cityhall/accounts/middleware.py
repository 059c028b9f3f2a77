"""Staff work only with two factors: a staff page opens once the account has TOTP or a passkey."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .models import STAFF_ROLES

# Pages that act for the city. The sign-in and two-factor set-up pages stay reachable, or a
# new staff member could never enrol.
STAFF_PREFIXES = ("/admin/", "/staff/")


class StaffNeedTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            request.path.startswith(STAFF_PREFIXES)
            and user.is_authenticated
            and user.role in STAFF_ROLES
            and not is_mfa_enabled(user)
        ):
            messages.info(request, _("City staff need a second factor: set up an authenticator app or a passkey."))
            return redirect("mfa_index")
        return self.get_response(request)
