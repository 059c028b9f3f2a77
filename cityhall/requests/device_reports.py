"""The anonymous reports made on this browser, kept in a signed cookie so the reporter can find them again.

The resident app writes the cookie when someone reports without signing in; the city profile reads
it to offer "add these requests to your profile". Format (docs/privacy.md): the cookie
`cityhall_reports` holds `django.core.signing.dumps(pairs, salt="cityhall.reports", compress=True)`
where `pairs` is a JSON list of `[public_id, tracking_token]` lists, newest last. A cookie that was
changed, or that is not that shape, reads as no reports.

The tracking token is the anonymous reporter's credential, so the cookie is HttpOnly and signed
(signing stops a forged list; the token itself is what proves the claim — see
`cityhall.requests.services.privacy`).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

COOKIE_NAME = "cityhall_reports"
SALT = "cityhall.reports"
# Enough for a very active reporter; keeps the cookie well under the 4 KB browsers allow.
MAX_REPORTS = 40
MAX_AGE_SECONDS = 2 * 365 * 24 * 60 * 60

DeviceReport = tuple[str, str]  # (public_id, tracking_token)


def read_device_reports(request: HttpRequest) -> list[DeviceReport]:
    """The (public_id, tracking_token) pairs this browser holds, oldest first; [] when none or tampered with."""
    raw = request.COOKIES.get(COOKIE_NAME)
    if not raw:
        return []
    try:
        value = signing.loads(raw, salt=SALT)
    except signing.BadSignature:
        return []
    if not isinstance(value, list):
        return []
    pairs: list[DeviceReport] = []
    for item in value:
        if isinstance(item, list) and len(item) == 2 and all(isinstance(part, str) and part for part in item):
            pairs.append((item[0], item[1]))
    return pairs


def write_device_reports(response: HttpResponse, pairs: list[DeviceReport]) -> None:
    """Store these pairs (the newest MAX_REPORTS) in the cookie, replacing what it held."""
    kept = [[public_id, token] for public_id, token in pairs][-MAX_REPORTS:]
    response.set_cookie(
        COOKIE_NAME,
        signing.dumps(kept, salt=SALT, compress=True),
        max_age=MAX_AGE_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def remember_device_report(
    request: HttpRequest, response: HttpResponse, *, public_id: str, tracking_token: str
) -> None:
    """Add one anonymous report to what this browser already holds (the resident app calls this after a report)."""
    pairs = [pair for pair in read_device_reports(request) if pair[0] != public_id]
    write_device_reports(response, [*pairs, (public_id, tracking_token)])


def forget_device_reports(response: HttpResponse) -> None:
    """Remove the cookie (after the account holding these reports is deleted)."""
    response.delete_cookie(COOKIE_NAME, samesite="Lax")
