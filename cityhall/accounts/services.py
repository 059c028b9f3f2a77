"""The accounts app's writes: a person's saved places, and deleting an account with its sign-in records.

Code outside the app writes people and places here, never through a model manager (`make lint` checks).
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.utils.translation import gettext

from cityhall.core import clock
from cityhall.core.errors import ValidationFailed

from .models import SavedPlace, User

MAX_SAVED_PLACES = 10


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


def account_delete(*, user: User) -> None:
    """Delete the account row and what hangs on it: saved places, email addresses, second factors.

    The rest cascades with the user row (social accounts); deleting these first keeps the order
    obvious and the cascade small. The caller (the profile's erasure) has done everything else first,
    in the same transaction.
    """
    SavedPlace.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    user.delete()
