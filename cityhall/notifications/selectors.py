"""Reads for the interfaces: a person's follows, area alerts and devices; the messages a page may list."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from cityhall.accounts.models import User

from .models import AreaAlert, Follow, Message, PushSubscription


def follows_for(user: User) -> QuerySet[Follow]:
    """The requests a person follows (confirmed), newest first, with the request and its category.

    Follows made by email before they had an account, at the same address, count as theirs.
    """
    return (
        Follow.objects.filter(Q(user=user) | Q(email__iexact=user.email), confirmed_at__isnull=False)
        .select_related("request__service")
        .order_by("-created_at", "-id")
    )


def is_following(user: User, request_id: int) -> bool:
    return follows_for(user).filter(request_id=request_id).exists()


def area_alerts_for(user: User) -> QuerySet[AreaAlert]:
    return AreaAlert.objects.filter(user=user).select_related("zone").prefetch_related("services").order_by("pk")


def devices_for(user: User) -> QuerySet[PushSubscription]:
    return PushSubscription.objects.filter(user=user).order_by("pk")


def follow_of(request_id: int, *, user: User | None, emails: Iterable[str]) -> Follow | None:
    """This person's follow of a request, confirmed or not: by their account or an address they gave."""
    addresses = [email.strip().lower() for email in emails if email]
    if user is None and not addresses:
        return None
    whose = Q(user=user) if user is not None else Q(pk__in=[])
    for address in addresses:
        whose |= Q(email__iexact=address)
    return Follow.objects.filter(whose, request_id=request_id).order_by("-confirmed_at", "pk").first()


def follow_by_address(request_id: int, address: str) -> Follow | None:
    """The follow of a request by this exact (normalised) address, confirmed or not."""
    return Follow.objects.filter(request_id=request_id, email=address).first()


def messages_to(addresses: Iterable[str]) -> list[Message]:
    """Messages sent (or meant) to these addresses (as the outbox writes them: `outbox_addresses`)."""
    return list(Message.objects.filter(address__in=list(addresses)).select_related("request"))
