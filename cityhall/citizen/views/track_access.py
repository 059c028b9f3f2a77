"""Who is looking at a tracking page: the tracking token they hold, remembered for this browser.

An anonymous reporter's key is the tracking token in their link (`?token=`). Once a valid token
has been seen, it is kept in the signed `cityhall_reports` cookie (the device's list of reports),
so the "Is it fixed?" forms and the live fragments keep working after the token leaves the
address bar, and "My requests" lists the request on this device.

A token presented in a link or form that does not open the request is a guess: past
TOKEN_GUESSES_PER_MINUTE wrong ones from one address, every presented token is refused with 429
for the rest of the minute (tokens remembered in the cookie are signed, so they are not guesses).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from cityhall.core import ratelimit
from cityhall.core.errors import NotFound
from cityhall.requests import access
from cityhall.requests.device_reports import read_device_reports, remember_device_report
from cityhall.requests.models import ServiceRequest
from cityhall.requests.workflow import Role

MAX_TOKEN = 64
TOKEN_GUESSES_PER_MINUTE = 10  # CITYHALL_RATE_LIMITS["token"] overrides it


def presented_token(request: HttpRequest) -> str:
    """The token this request carries itself: in the link, or in a form's hidden field."""
    token = request.POST.get("token") if request.method == "POST" else request.GET.get("token")
    return (token or "").strip()[:MAX_TOKEN]


def tracking_token(request: HttpRequest, public_id: str) -> str:
    """The token presented now, else the one this browser remembered for this request ("" when none)."""
    presented = presented_token(request)
    if presented:
        _count_guess(request, public_id, presented)
        return presented
    return next((token for remembered_id, token in read_device_reports(request) if remembered_id == public_id), "")


def _count_guess(request: HttpRequest, public_id: str, token: str) -> None:
    """Raise RateLimited past the limit of wrong tokens from this address; count this one if wrong."""
    address, limit = ratelimit.client_address(request), ratelimit.limit_of("token", TOKEN_GUESSES_PER_MINUTE)
    ratelimit.refuse_if_past("token", address, limit)
    if not access.token_opens(public_id, token):
        ratelimit.count_failure("token", address, limit)


def public_request(request: HttpRequest, public_id: str) -> tuple[ServiceRequest, str]:
    """The request as this person may see it, and their token; 404 when they may not."""
    token = tracking_token(request, public_id)
    try:
        return access.request_for_public(public_id, user=request.user, token=token), token
    except NotFound:
        raise Http404 from None


def is_requester(request: HttpRequest, service_request: ServiceRequest, token: str) -> bool:
    return Role.REQUESTER in access.roles_for(request.user, service_request, token=token)


def remember_presented_token(request: HttpRequest, response: HttpResponse, service_request: ServiceRequest) -> None:
    """Keep a valid token that came with this request (link or form) for this browser; ignore a wrong one."""
    token = presented_token(request)
    if not token or not access.roles_for(None, service_request, token=token) >= {Role.REQUESTER}:
        return
    if (service_request.public_id, token) in read_device_reports(request):
        return
    remember_device_report(request, response, public_id=service_request.public_id, tracking_token=token)
