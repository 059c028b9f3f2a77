"""Following a request: signed-in residents in one click; anyone else by email, confirmed by a link."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.db.models import Q

from cityhall.accounts.models import User
from cityhall.core import clock
from cityhall.requests.models import ServiceRequest

from ..models import Channel, Follow, Message, MessageStatus, RecipientKind
from ..recipients import Recipient, language_or_default, normalise_email
from .storing import message_store


class Outcome(StrEnum):
    FOLLOWING = "following"  # done: they will hear the outcome
    CHECK_EMAIL = "check_email"  # a confirmation link is on its way (or was sent already)
    ALREADY = "already"


@dataclass(frozen=True)
class FollowResult:
    outcome: Outcome
    follow: Follow
    confirmation: Message | None = None  # to be sent after commit


def follow_add(*, service_request: ServiceRequest, user: User | None, email: str, language: str) -> FollowResult:
    """Record a follow. A signed-in person follows at once with their account's address; an address
    typed by anyone else is followed only once its owner opens the link we email it (double opt-in)."""
    now = clock.now()
    address = normalise_email(user.email if user is not None else email)
    with transaction.atomic():
        try:
            with transaction.atomic():
                follow, created = Follow.objects.get_or_create(
                    request=service_request,
                    email=address,
                    defaults={
                        "user": user,
                        "language": language_or_default(user.language if user else language),
                        "confirmed_at": now if user is not None else None,
                        "created_at": now,
                    },
                )
        except IntegrityError:  # the same address followed in a racing request: it is there now
            follow, created = Follow.objects.get(request=service_request, email=address), False
        if follow.confirmed_at is not None and not created:
            return FollowResult(Outcome.ALREADY, follow)
        if user is not None:
            if follow.confirmed_at is None:  # they asked by email before, and have now signed in
                Follow.objects.filter(pk=follow.pk).update(user=user, confirmed_at=now)
            return FollowResult(Outcome.FOLLOWING, follow)
        return FollowResult(Outcome.CHECK_EMAIL, follow, _confirmation_for(follow))


def _confirmation_for(follow: Follow) -> Message:
    """One confirmation email per follow: asking again does not send another (no mail bombing by form)."""
    recipient = Recipient(RecipientKind.FOLLOWER, Channel.EMAIL, follow.email, follow.language)
    (message,) = message_store(
        scope=f"follow:{follow.pk}",
        template="follow_confirm",
        recipient=recipient,
        request_id=follow.request_id,
        data={"follow_id": follow.pk},
    )
    return message


def follow_confirm(follow_id: int) -> Follow | None:
    """The link was opened and its button pressed: the follow counts from now."""
    follow = Follow.objects.select_related("request").filter(pk=follow_id).first()
    if follow is not None and follow.confirmed_at is None:
        Follow.objects.filter(pk=follow.pk, confirmed_at__isnull=True).update(confirmed_at=clock.now())
        follow.refresh_from_db()
    return follow


def follow_stop(*, follow_id: int, user: User | None = None) -> bool:
    """Remove a follow (by its link, or its owner from their preferences). False if there was none."""
    follows = Follow.objects.filter(pk=follow_id)
    if user is not None:  # theirs: made signed in, or by email at their address
        follows = follows.filter(Q(user=user) | Q(email__iexact=user.email))
    deleted, _ = follows.delete()
    return deleted > 0


def needs_sending(message: Message | None) -> bool:
    return message is not None and message.status == MessageStatus.PENDING and message.attempts == 0
