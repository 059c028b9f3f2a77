"""Residents' privacy on their requests: claiming anonymous reports, erasing a reporter, retention.

Requests are the city's records and stay; what goes is everything that says who reported them.
Anonymising is irreversible: the details are overwritten, not hidden, and the timeline keeps one
internal note saying that it happened (never what was erased).
"""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Lower

from cityhall.accounts.models import User
from cityhall.catalogue import selectors as catalogue
from cityhall.core import clock

from .. import events
from ..device_reports import DeviceReport
from ..models import RequestEvent, ServiceRequest, Support
from ..workflow import Role, Status

REMOVED = "[removed]"
EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
CLAIM = "claim"
ANONYMISE = "anonymise"


def verified_emails_of(user: User) -> list[str]:
    """The addresses this person proved they own (lower-cased): the only ones their claims and erasure match."""
    found = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return sorted({email.strip().lower() for email in found})


def claimable_requests(*, user: User, device_reports: Sequence[DeviceReport] = ()) -> list[ServiceRequest]:
    """Requests with no account that this person may add to their profile, newest first.

    Those reported with one of their verified addresses, and those whose tracking token this browser
    holds (`device_reports`, from the `cityhall_reports` cookie). A wrong token claims nothing.
    """
    tokens = dict(device_reports)
    emails = verified_emails_of(user)
    candidates = (
        ServiceRequest.objects.filter(reporter__isnull=True)
        .annotate(email_lower=Lower("reporter_email"))
        .filter(Q(email_lower__in=emails) | Q(public_id__in=list(tokens)))
        .select_related("service")
        .order_by("-requested_at", "-id")
    )
    return [service_request for service_request in candidates if _claim_route(service_request, emails, tokens)]


def _claim_route(service_request: ServiceRequest, emails: Sequence[str], tokens: dict[str, str]) -> str:
    if service_request.reporter_email and service_request.reporter_email.lower() in emails:
        return "email"
    token = tokens.get(service_request.public_id, "")
    if token and hmac.compare_digest(token.encode(), service_request.tracking_token.encode()):
        return "device"
    return ""


def service_requests_claim(*, user: User, device_reports: Sequence[DeviceReport] = ()) -> list[ServiceRequest]:
    """Add every request `claimable_requests` finds to this person's profile; returns them.

    Eligibility is checked again under lock, so a request claimed meanwhile by someone else is left alone.
    """
    with transaction.atomic():
        found = claimable_requests(user=user, device_reports=device_reports)
        locked = list(
            ServiceRequest.objects.select_for_update()
            .filter(pk__in=[service_request.pk for service_request in found], reporter__isnull=True)
            .order_by("-requested_at", "-id")
        )
        emails, tokens = verified_emails_of(user), dict(device_reports)
        now = clock.now()
        actor = events.Actor(user=user, roles=frozenset({Role.REQUESTER}))
        claimed = []
        for service_request in locked:
            route = _claim_route(service_request, emails, tokens)
            if not route:
                continue
            ServiceRequest.objects.filter(pk=service_request.pk).update(reporter=user)
            service_request.reporter = user
            note = events.EventDraft(
                kind=RequestEvent.Kind.NOTE,
                action=CLAIM,
                internal_note=f"Added to the reporter's city profile (matched by {route}).",
                data={"matched_by": route},
            )
            events.record(service_request, actor, note, at=now)
            claimed.append(service_request)
    return claimed


@dataclass
class ErasedContacts:
    """What an erasure touched: the requests, and the person's own addresses (verified emails, profile
    phone) for the caller to forget elsewhere (the outbox). Contacts typed on a request are not
    listed: they may be someone else's, and messages on these requests are found by `request_ids`."""

    request_ids: list[int] = field(default_factory=list)
    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)


def service_requests_anonymise_reporter(*, user: User) -> ErasedContacts:
    """The request side of deleting an account: their requests lose every personal detail, their supports go.

    Matches the requests they reported signed in, and those reported anonymously with one of their
    verified addresses. Run inside the caller's transaction with the rest of the account's erasure.
    """
    emails = verified_emails_of(user)
    personal = {user.email.lower(), *emails, user.name, *phone_variants(user.phone)}
    with transaction.atomic():
        mine = (
            ServiceRequest.objects.annotate(email_lower=Lower("reporter_email"))
            .filter(Q(reporter=user) | Q(email_lower__in=emails))
            .values_list("pk", flat=True)
        )
        note = "The reporter's personal details were erased: they deleted their account."
        erased = _anonymise(list(mine), personal=personal, reason="account_deleted", note=note)
        erased.emails.update(emails, [user.email.lower()])
        erased.phones.update(phone_variants(user.phone))
        # Their 'me too's go (and stop counting): the support was theirs, not the city's record.
        supports = Support.objects.filter(Q(user=user) | Q(email__in=emails))
        for request_id in supports.values_list("request_id", flat=True):
            ServiceRequest.objects.filter(pk=request_id, support_count__gt=0).update(
                support_count=F("support_count") - 1
            )
        supports.delete()
    return erased


def service_requests_anonymise_expired(*, batch_size: int = 500) -> list[int]:
    """Retention: anonymise requests closed longer ago than their city's `anonymise_after_days`.

    Works in batches of `batch_size` (one transaction each) until none is left; idempotent, since an
    anonymised request no longer holds anything personal. Returns the ids it anonymised.
    """
    done: list[int] = []
    seen: set[int] = set()
    now = clock.now()
    for jurisdiction in catalogue.jurisdictions():
        days = jurisdiction.anonymise_after_days
        if days is None:
            continue  # this city keeps its requests' details
        cutoff = now - timedelta(days=days or 0)
        due = (
            ServiceRequest.objects.filter(jurisdiction=jurisdiction, status=Status.CLOSED, closed_at__lt=cutoff)
            .filter(_holds_personal_details())
            .order_by("pk")
            .values_list("pk", flat=True)
            .distinct()
        )
        note = (
            "The reporter's personal details were erased under the city's retention policy "
            f"({days} days after closure)."
        )
        while batch := [pk for pk in due[:batch_size] if pk not in seen]:
            with transaction.atomic():
                done.extend(_anonymise(batch, personal=set(), reason="retention", note=note).request_ids)
            seen.update(batch)  # never loop on a row that still matches (it cannot, but a loop must end)
    return done


def _holds_personal_details() -> Q:
    return (
        Q(reporter__isnull=False)
        | ~Q(reporter_name="")
        | ~Q(reporter_email="")
        | ~Q(reporter_phone="")
        | ~Q(device_id="")
        | ~Q(account_id="")
        | Q(supports__email__gt="")
    )


def _anonymise(request_ids: Sequence[int], *, personal: set[str], reason: str, note: str) -> ErasedContacts:
    """Overwrite who reported these requests, and any trace of it in their answers and timeline."""
    erased = ErasedContacts()
    now = clock.now()
    locked = (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("reporter")
        .filter(pk__in=request_ids)
        .prefetch_related("events")
    )
    changed_events: list[RequestEvent] = []
    for service_request in locked:
        scrub = contact_scrubber(
            personal | reporter_contacts(service_request) | {service_request.device_id, service_request.account_id}
        )
        erased.request_ids.append(service_request.pk)
        service_request.reporter = None
        service_request.reporter_name = service_request.reporter_email = service_request.reporter_phone = ""
        service_request.device_id = service_request.account_id = ""
        service_request.tracking_token = secrets.token_urlsafe(
            24
        )  # the device that held the old one is no longer its requester
        service_request.attributes = _scrub_json(service_request.attributes, scrub)
        service_request.description = scrub(service_request.description)
        service_request.location_description = scrub(service_request.location_description)
        service_request.status_note = scrub(service_request.status_note)
        service_request.save(
            update_fields=[
                "reporter", "reporter_name", "reporter_email", "reporter_phone", "device_id", "account_id",
                "tracking_token", "attributes", "description", "location_description", "status_note",
            ]
        )  # fmt: skip
        for event in service_request.events.all():
            before = (event.public_note, event.internal_note, event.data)
            event.public_note, event.internal_note = scrub(event.public_note), scrub(event.internal_note)
            event.data = _scrub_json(event.data, scrub)
            if (event.public_note, event.internal_note, event.data) != before:
                changed_events.append(event)
        draft = events.EventDraft(
            kind=RequestEvent.Kind.NOTE, action=ANONYMISE, internal_note=note, data={"reason": reason}
        )
        events.record(service_request, events.SYSTEM, draft, at=now)
    RequestEvent.objects.bulk_update(changed_events, ["public_note", "internal_note", "data"], batch_size=500)
    if reason == "retention":
        Support.objects.filter(request_id__in=erased.request_ids).exclude(email="").update(email="")
    return erased


def reporter_contacts(service_request: ServiceRequest) -> set[str]:
    """Everything on a request that names or reaches its reporter: typed on it, or their account's."""
    account = service_request.reporter
    people = [(service_request.reporter_name, service_request.reporter_email, service_request.reporter_phone)]
    if account is not None:
        people.append((account.name, account.email, account.phone))
    return contacts_of(people)


def contacts_of(people: Iterable[tuple[str | None, str | None, str | None]]) -> set[str]:
    """The strings that name or reach these (name, email, phone) triples, phones in every stored form."""
    contacts: set[str] = set()
    for name, email, phone in people:
        contacts.update({name or "", email or "", *phone_variants(phone or "")})
    return {contact for contact in contacts if contact}


def phone_variants(phone: str) -> set[str]:
    """A number as typed, and its digits with and without a leading + (how the outbox stores it)."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < 7:
        return {phone} if phone else set()
    variants = {phone.strip(), digits, f"+{digits}"}
    if len(digits) == 10:
        variants.update({f"1{digits}", f"+1{digits}"})
    return variants


def contact_scrubber(personal: Iterable[str], *, replacement: str = REMOVED) -> Any:
    """A function replacing each of these strings, and each word of them (a first name alone), by `replacement`.

    Whole words only, any case; words under three letters are left (they would match too much).
    """
    phrases = {phrase.strip() for phrase in personal if phrase}
    names = [phrase for phrase in phrases if not re.search(r"[@\d]", phrase)]  # not emails, phones or ids
    phrases |= {word for name in names for word in name.split()}
    words = sorted({phrase for phrase in phrases if len(phrase) >= 3}, key=len, reverse=True)
    if not words:
        return lambda text: text
    # Every reporter has their own pattern, and compiling it cost more than the rest of a public list's
    # row, while most texts hold none of the words. For ASCII words in an ASCII text, IGNORECASE is
    # ASCII case alone, so a text without any of the words in lower case cannot match: it is returned
    # as it is, and the pattern is compiled on the first text that may match (any other text too).
    lowered = [word.lower() for word in words] if all(word.isascii() for word in words) else None
    compiled: list[re.Pattern[str]] = []

    def scrub(text: str) -> str:
        if not text:
            return text
        if lowered is not None and text.isascii():
            folded = text.lower()
            if not any(word in folded for word in lowered):
                return text
        if not compiled:
            compiled.append(re.compile("|".join(rf"(?<!\w){re.escape(word)}(?!\w)" for word in words), re.IGNORECASE))
        return compiled[0].sub(replacement, text)

    return scrub


def _scrub_json(value: Any, scrub: Any) -> Any:
    """Answers and event details, recursively: known contacts and any email address in a string go."""
    if isinstance(value, str):
        return EMAIL_PATTERN.sub(REMOVED, scrub(value))
    if isinstance(value, list):
        return [_scrub_json(item, scrub) for item in value]
    if isinstance(value, dict):
        return {key: _scrub_json(item, scrub) for key, item in value.items()}
    return value
