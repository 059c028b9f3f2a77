"""Writes of the city profile: erasing an account with everything it left behind (saved places are
the accounts app's: `cityhall.accounts.services`)."""

from __future__ import annotations

from allauth.usersessions.models import UserSession
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from cityhall.accounts.models import User
from cityhall.accounts.selectors import account_for_update
from cityhall.accounts.services import account_delete
from cityhall.core import clock
from cityhall.notifications.services import addresses_forget
from cityhall.requests.services import service_requests_anonymise_reporter

from .models import Erasure


def account_erase(*, user: User) -> Erasure:
    """Delete an account and every personal detail it left, in one transaction; irreversible.

    Their requests stay for the city's records but lose who reported them (each gets a timeline
    note); their supports, saved places, email addresses, second factors, sessions and linked sign-in
    accounts go with the user row; the outbox forgets their addresses. What remains is an `Erasure`
    row saying that it happened — not whose it was.
    """
    with transaction.atomic():
        user = account_for_update(user.pk)
        erased = service_requests_anonymise_reporter(user=user)
        forgotten = addresses_forget(emails=erased.emails, phones=erased.phones, request_ids=erased.request_ids)
        for session in UserSession.objects.filter(user=user):
            session.end()  # ends the Django session too, so no browser stays signed in
        _forget_admin_history(user)
        account_delete(user=user)  # with its saved places, email addresses and second factors
        return Erasure.objects.create(
            reason=Erasure.Reason.ACCOUNT_DELETED,
            erased_at=clock.now(),
            requests_anonymised=len(erased.request_ids),
            messages_forgotten=forgotten,
        )


def _forget_admin_history(user: User) -> None:
    """Django admin's history names the account it changed ("resident@example.org"); keep the entry, not the name."""
    about_them = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk))
    about_them.update(object_repr="(erased account)", change_message="")
