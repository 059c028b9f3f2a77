"""Saved places for the report form: a resident's home, work and other places, in the order they are offered."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When

from .models import SavedPlace, User

MAX_SAVED_PLACES = 10


def saved_places_for(user: User | object) -> list[SavedPlace]:
    """This person's saved places (home, then work, then the others by label); [] for anyone signed out.

    Each has `lat`, `lng`, `address` and a display name (`str(place)`: its label, or "Home"/"Work").
    One query.
    """
    if not isinstance(user, User) or user.pk is None:
        return []
    rank = Case(
        When(kind=SavedPlace.Kind.HOME, then=Value(0)),
        When(kind=SavedPlace.Kind.WORK, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return list(SavedPlace.objects.filter(user=user).order_by(rank, "label", "id"))
