"""My requests: what a signed-in resident reported, supports or follows; what this device reported.

An anonymous reporter's requests are the ones remembered in this browser's `cityhall_reports`
cookie; each is shown only when its tracking token still matches, so a copied cookie from an
older request or a forged pair shows nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from cityhall.accounts.models import User
from cityhall.notifications.selectors import follows_for
from cityhall.requests import access, selectors
from cityhall.requests.device_reports import read_device_reports
from cityhall.requests.models import ServiceRequest

from .track_timeline import StatusBadge, status_badge

MAX_SHOWN = 100


@dataclass(frozen=True)
class MyRequest:
    service_request: ServiceRequest
    badge: StatusBadge
    relation: str


def _rows(requests: Iterable[ServiceRequest], relation: str) -> list[MyRequest]:
    return [MyRequest(row, status_badge(row.status), relation) for row in requests]


def _followed_requests(user: User, known: set[int]) -> list[ServiceRequest]:
    followed = []
    for follow in follows_for(user)[:MAX_SHOWN]:
        if follow.request_id not in known:
            followed.append(follow.request)
            known.add(follow.request_id)
    return followed


def _account_requests(user: User) -> list[MyRequest]:
    reported = selectors.requests_reported_by(user, limit=MAX_SHOWN)
    known = {row.pk for row in reported}
    supported = [row for row in selectors.requests_supported_by(user, limit=MAX_SHOWN) if row.pk not in known]
    known |= {row.pk for row in supported}
    return [
        *_rows(reported, gettext("You reported it")),
        *_rows(supported, gettext("You reported it too")),
        *_rows(_followed_requests(user, known), gettext("You follow it")),
    ]


def _device_requests(request: HttpRequest, exclude: set[str]) -> list[MyRequest]:
    pairs = [(public_id, token) for public_id, token in read_device_reports(request) if public_id not in exclude]
    if not pairs:
        return []
    return _rows(access.requests_for_device(pairs), "")  # the section's heading says where they come from


@require_safe
def my_requests(request: HttpRequest) -> HttpResponse:
    """The resident's own requests, their supports and follows, and those remembered on this device."""
    account = _account_requests(request.user) if isinstance(request.user, User) else []
    on_device = _device_requests(request, exclude={row.service_request.public_id for row in account})
    return render(request, "citizen/mine.html", {"account_requests": account, "device_requests": on_device})
