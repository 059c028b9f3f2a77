"""Writes of the city profile: saved places, and erasing an account with everything it left behind."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext

from cityhall.accounts.models import SavedPlace, User
from cityhall.accounts.places import MAX_SAVED_PLACES
from cityhall.core import clock
from cityhall.core.errors import ValidationFailed
from cityhall.notifications.services import addresses_forget
from cityhall.requests.services import service_requests_anonymise_reporter

from .models import Erasure


def saved_place_save(*, user: User, kind: str, label: str, address: str, lat: float, lng: float) -> SavedPlace:
    """Save a place (the form has checked it lies inside the city). A new home or work replaces the old one."""
    fields = {"label": label.strip(), "address": address.strip(), "lat": lat, "lng": lng}
    with transaction.atomic():
        if kind != SavedPlace.Kind.OTHER:
            fields["label"] = ""  # home and work are named by their kind
            place, _created = SavedPlace.objects.update_or_create(
                user=user, kind=kind, defaults=fields, create_defaults={**fields, "created_at": clock.now()}
            )
            return place
        if SavedPlace.objects.filter(user=user).count() >= MAX_SAVED_PLACES:
            message = gettext("You can save up to %(count)d places; remove one first.") % {"count": MAX_SAVED_PLACES}
            raise ValidationFailed({"label": message})
        return SavedPlace.objects.create(user=user, kind=kind, created_at=clock.now(), **fields)


def saved_place_remove(*, user: User, place_id: int) -> bool:
    """Remove one of this person's places; False if it was not theirs (or already gone)."""
    deleted, _by_model = SavedPlace.objects.filter(user=user, pk=place_id).delete()
    return deleted > 0


def account_erase(*, user: User) -> Erasure:
    """Delete an account and every personal detail it left, in one transaction; irreversible.

    Their requests stay for the city's records but lose who reported them (each gets a timeline
    note); their supports, saved places, email addresses, second factors, sessions and linked sign-in
    accounts go with the user row; the outbox forgets their addresses. What remains is an `Erasure`
    row saying that it happened — not whose it was.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        erased = service_requests_anonymise_reporter(user=user)
        forgotten = addresses_forget(emails=erased.emails, phones=erased.phones, request_ids=erased.request_ids)
        for session in UserSession.objects.filter(user=user):
            session.end()  # ends the Django session too, so no browser stays signed in
        _forget_admin_history(user)
        # The rest cascades with the user row (saved places, email addresses, MFA authenticators,
        # social accounts); deleting them first keeps the order obvious and the cascade small.
        SavedPlace.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        EmailAddress.objects.filter(user=user).delete()
        user.delete()
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
