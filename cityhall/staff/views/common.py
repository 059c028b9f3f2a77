"""What every staff view shares: sign-in and access checks, and domain errors turned into messages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from cityhall.core.errors import NotFound, TransitionRefused, ValidationFailed
from cityhall.requests import access

View = Callable[..., HttpResponseBase]  # a page, a redirect or a streamed file


def staff_page(view: View) -> View:
    """Signed-out people are sent to sign in; anyone not city staff gets a plain 404.

    The second factor is enforced before this by the accounts middleware; what each person may see
    and do is checked by `cityhall.requests.access` inside the view.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            access.staff_account(request.user)
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None

    return wrapper


def field_errors(error: ValidationFailed) -> dict[str, str]:
    """The domain's errors by field, in the reader's language where the domain keeps them as coded words."""
    return {field: str(message) for field, message in error.translated_errors.items()}


def refusal_message(error: TransitionRefused) -> str:
    if error.code == "forbidden":
        return _("Your role does not allow this action on this request.")
    if error.code == "window":
        return str(error.translated)
    return _("This action is not possible in the request's current status; the page now shows where it stands.")


def safe_next(request: HttpRequest, fallback: str) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure()):
        return wanted
    return fallback
