"""The people a request's messages go to, each on one channel, in their language."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from cityhall.accounts.models import User
from cityhall.accounts.selectors import active_supervisors_of
from cityhall.requests import selectors
from cityhall.requests.models import ServiceRequest

from .models import Channel, Follow, RecipientKind

DEFAULT_LANGUAGE = "en"
# The cities CityHall serves today dial +1; a ten-digit local number is read as North American.
NANP_DIGITS = 10


@dataclass(frozen=True)
class Recipient:
    kind: RecipientKind
    channel: Channel
    address: str
    language: str
    # The account behind the address, when there is one: its preferences apply (preferences.py).
    user_id: int | None = None

    @property
    def identity(self) -> tuple[str, str]:
        return self.channel.value, self.address


def language_or_default(code: str) -> str:
    known = {language for language, _name in settings.LANGUAGES}
    return code if code in known else DEFAULT_LANGUAGE


def normalise_email(address: str) -> str:
    return address.strip().lower()


def normalise_phone(number: str) -> str:
    """E.164 where it can be told (+13105550100); otherwise the digits as given, for the provider to judge."""
    digits = re.sub(r"\D", "", number)
    if number.strip().startswith("+"):
        return f"+{digits}"
    if len(digits) == NANP_DIGITS:
        return f"+1{digits}"
    if len(digits) == NANP_DIGITS + 1 and digits.startswith("1"):
        return f"+{digits}"
    return digits


def outbox_addresses(*, emails: Iterable[str], phones: Iterable[str]) -> set[str]:
    """The addresses as the outbox writes them (lower-cased email, E.164 phone)."""
    found = {normalise_email(email) for email in emails if email}
    found.update(normalise_phone(phone) for phone in phones if phone and normalise_phone(phone))
    return found


def reporter_of(service_request: ServiceRequest) -> Recipient | None:
    """By email when they gave one, else by SMS to the phone they gave; None for an unreachable reporter."""
    account = service_request.reporter
    # A signed-in reporter's profile language wins; otherwise the language the report was made in.
    language = language_or_default(account.language if account else service_request.language)
    email = service_request.reporter_email or (account.email if account else "")
    user_id = account.pk if account else None
    if email:
        return Recipient(RecipientKind.REPORTER, Channel.EMAIL, normalise_email(email), language, user_id)
    phone = service_request.reporter_phone or (account.phone if account else "")
    if phone and normalise_phone(phone):
        return Recipient(RecipientKind.REPORTER, Channel.SMS, normalise_phone(phone), language, user_id)
    return None


def supporters_of(service_request: ServiceRequest) -> list[Recipient]:
    """Everyone who said 'me too' (or whose duplicate was merged in), by email."""
    found = []
    for support in selectors.supports_of(service_request):
        user = support.user
        if user is not None and not user.is_active:
            continue
        email = user.email if user is not None else support.email
        language = user.language if user is not None else DEFAULT_LANGUAGE
        if email:
            found.append(
                Recipient(
                    RecipientKind.SUPPORTER,
                    Channel.EMAIL,
                    normalise_email(email),
                    language_or_default(language),
                    user.pk if user is not None else None,
                )
            )
    return found


def followers_of(service_request: ServiceRequest) -> list[Recipient]:
    """Confirmed follows, by email; a signed-in follower's account language wins."""
    follows = Follow.objects.filter(request=service_request, confirmed_at__isnull=False).select_related("user")
    found = []
    for follow in follows.order_by("created_at", "id"):
        user = follow.user
        if user is not None and not user.is_active:
            continue
        language = user.language if user is not None else follow.language
        found.append(
            Recipient(
                RecipientKind.FOLLOWER,
                Channel.EMAIL,
                normalise_email(follow.email),
                language_or_default(language),
                user.pk if user is not None else None,
            )
        )
    return found


def staff_member(user: User, kind: RecipientKind) -> Recipient:
    """City staff are reached at their account's email, in their language."""
    return Recipient(kind, Channel.EMAIL, normalise_email(user.email), language_or_default(user.language), user.pk)


def supervisors_of(service_request: ServiceRequest) -> list[Recipient]:
    """The department queue's people: its active supervisors (nobody for a request still in triage)."""
    if service_request.department_id is None:
        return []
    people = active_supervisors_of(service_request.department_id)
    return [staff_member(user, RecipientKind.SUPERVISOR) for user in people]


def unique(recipients: list[Recipient]) -> list[Recipient]:
    """Each address once, the first reason kept (a reporter who also supports hears once, as reporter)."""
    found: dict[tuple[str, str], Recipient] = {}
    for recipient in recipients:
        found.setdefault(recipient.identity, recipient)
    return list(found.values())


def audience_of(service_request: ServiceRequest, kinds: frozenset[RecipientKind]) -> list[Recipient]:
    """The recipients of these kinds, each address once (a reporter who also supports hears once, as reporter)."""
    candidates: list[Recipient] = []
    if RecipientKind.REPORTER in kinds and (reporter := reporter_of(service_request)) is not None:
        candidates.append(reporter)
    if RecipientKind.SUPPORTER in kinds:
        candidates += supporters_of(service_request)
    if RecipientKind.FOLLOWER in kinds:
        candidates += followers_of(service_request)
    return unique(candidates)
