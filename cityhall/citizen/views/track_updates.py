"""What the tracking page says about updates, so nobody is asked for an email they already gave.

The reporter (by account, tracking token or device cookie, or the email this session gave) hears
already: the page says where. So does a supporter or a follower. Only someone the city cannot yet
reach is offered "Follow this request" — and when this session gave an email before, the form
offers that one instead of asking for it again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from cityhall.accounts.models import User
from cityhall.core.contact import given_email, masked_email, masked_phone
from cityhall.notifications.selectors import follow_of
from cityhall.requests import selectors
from cityhall.requests.models import ServiceRequest

REPORTER = "reporter"  # you reported it: updates go to your email (or phone)
FOLLOWER = "follower"  # you support or follow it
PENDING = "pending"  # you asked to follow by email: the confirmation link is waiting in your inbox


@dataclass(frozen=True)
class Updates:
    kind: str
    address: str  # masked: "m•••@example.org", or "•••45" for a text message
    by_text: bool = False


def updates_for(request: HttpRequest, service_request: ServiceRequest, *, requester: bool) -> Updates | None:
    """How this person hears about the request already, or None when the page may offer to follow it."""
    user = request.user if isinstance(request.user, User) and request.user.is_active else None
    emails = [email for email in (user.email if user else "", given_email(request)) if email]
    reporter_email = (service_request.reporter_email or _account_email(service_request)).strip().lower()
    if requester or (reporter_email and reporter_email in {email.lower() for email in emails}):
        if reporter_email:
            return Updates(REPORTER, masked_email(reporter_email))
        phone = service_request.reporter_phone or (service_request.reporter.phone if service_request.reporter else "")
        if phone:
            return Updates(REPORTER, masked_phone(phone), by_text=True)
    support = selectors.support_of(service_request, user=user, emails=emails)
    if support is not None:
        return Updates(FOLLOWER, masked_email(support.user.email if support.user else support.email))
    follow = follow_of(service_request.pk, user=user, emails=emails)
    if follow is not None:
        return Updates(FOLLOWER if follow.confirmed_at else PENDING, masked_email(follow.email))
    return None


def _account_email(service_request: ServiceRequest) -> str:
    return service_request.reporter.email if service_request.reporter else ""
