"""A person's requests and "me too"s, for My requests, the tracking and report pages (what they hear
of already) and their data export."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from cityhall.accounts.models import User

from ..models import Attachment, RequestEvent, ServiceRequest, Support


def requests_reported_by(user: User, *, limit: int) -> list[ServiceRequest]:
    """The newest requests this account reported, with their category."""
    return list(
        ServiceRequest.objects.select_related("service").filter(reporter=user).order_by("-requested_at")[:limit]
    )


def requests_supported_by(user: User, *, limit: int) -> list[ServiceRequest]:
    """The newest requests this account said "me too" to, with their category."""
    found = ServiceRequest.objects.select_related("service").filter(supports__user=user)
    return list(found.order_by("-requested_at")[:limit])


def requests_by_public_id(public_ids: Sequence[str]) -> dict[str, ServiceRequest]:
    """These requests by public id (unknown ids left out), with their category: one query.

    Hands out requests whatever their privacy: callers decide who may see each (access.requests_for_device).
    """
    return ServiceRequest.objects.select_related("service").in_bulk(list(public_ids), field_name="public_id")


def personal_requests(user: User, *, verified_emails: Sequence[str]) -> list[ServiceRequest]:
    """A person's requests for their data export, oldest first: those of their account, and those reported
    without one from an address they proved is theirs. Each comes with its public timeline (`events`,
    staff notes left out) and the photos sent with the report (`report_photos`).
    """
    public_events = Prefetch(
        "events", queryset=RequestEvent.objects.exclude(kind=RequestEvent.Kind.NOTE).order_by("created_at", "id")
    )
    # The photos they sent with the report, as stored: already stripped of location and camera data.
    their_photos = Prefetch(
        "attachments", queryset=Attachment.objects.filter(purpose=Attachment.Purpose.REPORT), to_attr="report_photos"
    )
    return list(
        ServiceRequest.objects.annotate(email_lower=Lower("reporter_email"))
        .filter(Q(reporter=user) | Q(reporter__isnull=True, email_lower__in=list(verified_emails)))
        .select_related("service")
        .prefetch_related(public_events, their_photos)
        .order_by("requested_at", "id")
    )


def personal_supports(user: User, *, emails: Sequence[str]) -> QuerySet[Support]:
    """A person's "me too"s, by their account or an address of theirs, oldest first, with the request's category."""
    return (
        Support.objects.filter(Q(user=user) | Q(email__in=list(emails)))
        .select_related("request__service")
        .order_by("created_at", "id")
    )


def support_of(service_request: ServiceRequest, *, user: User | None, emails: Sequence[str]) -> Support | None:
    """This person's "me too" on a request: by their account, or an address they gave."""
    addresses = [email.strip().lower() for email in emails if email]
    whose = Q(user=user) if user is not None else Q(pk__in=[])
    if addresses:
        whose |= Q(email__in=addresses)
    return service_request.supports.filter(whose).select_related("user").first()


def heard_by(public_ids: Sequence[str], *, user: User | None, emails: Sequence[str]) -> set[str]:
    """Which of these requests this person reported or supports already (by account or an address they gave)."""
    addresses = [email.strip().lower() for email in emails if email]
    if user is None and not addresses:
        return set()
    reported = Q(reporter=user) if user is not None else Q(pk__in=[])
    supported = Q(supports__user=user) if user is not None else Q(pk__in=[])
    for address in addresses:
        reported |= Q(reporter_email__iexact=address)
    if addresses:
        supported |= Q(supports__email__in=addresses)
    found = ServiceRequest.objects.filter(public_id__in=list(public_ids)).filter(reported | supported)
    return set(found.values_list("public_id", flat=True))
