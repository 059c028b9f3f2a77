"""The accounts app's writes: a person's saved places, a paper applicant's account, and deleting an account.

Code outside the app writes people and places here, never through a model manager (`make lint` checks).
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from cityhall.core import clock
from cityhall.core.contact import is_email
from cityhall.core.errors import ValidationFailed

from .models import SavedPlace, User
from .roles import Role

MAX_SAVED_PLACES = 10
MAX_NAME = 150  # User.name's column


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


def applicant_errors(*, email: str, name: str) -> dict[str, str]:
    """What is wrong with a paper applicant's email and name, by field (empty when both will do)."""
    errors = {}
    if not is_email(email.strip()):
        errors["email"] = gettext("Enter the applicant's email address, as written on the form.")
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        errors["name"] = gettext("Enter the applicant's name, in at most 150 characters.")
    return errors


def account_for_applicant(*, email: str, name: str) -> User:
    """The account a paper application goes on: the person's own, found by email, or a new resident one.

    A new account has no password: the person signs in later by resetting it (or with a sign-in link)
    and finds the application under "My applications". Nothing is written when a field is bad.
    """
    if errors := applicant_errors(email=email, name=name):
        raise ValidationFailed(errors)
    email, name = email.strip().lower(), " ".join(name.split())
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return User.objects.create_user(email, None, name=name, role=Role.RESIDENT)
    except IntegrityError:  # made a moment ago by another request for the same address
        return User.objects.get(email__iexact=email)


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
