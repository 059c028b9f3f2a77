"""The accounts app's reads, for the apps above: active staff, supervisors (all, or a department's), a
crew's members, who a department's requests may go to, one person and their phone, a person's saved places.

Code outside the app reads people here, never through `User.objects` (`make lint` checks).
"""

from __future__ import annotations

from collections.abc import Iterable

from allauth.mfa.models import Authenticator
from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When

from .models import STAFF_ROLES, Role, SavedPlace, User
from .roles import WORKING_ROLES


def active_staff(*, excluding: set[int] | frozenset[int] = frozenset()) -> QuerySet[User]:
    """Every active member of city staff, oldest account first (less those excluded, by id)."""
    return User.objects.filter(is_active=True, role__in=STAFF_ROLES).exclude(pk__in=excluding).order_by("pk")


def active_staff_with_second_factor() -> QuerySet[User]:
    """Active staff who have an authenticator app or a passkey (who may be given a signing certificate), by name."""
    second_factor = Authenticator.objects.filter(
        user=OuterRef("pk"), type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    )
    return User.objects.filter(Exists(second_factor), is_active=True, role__in=STAFF_ROLES).order_by("name", "email")


def active_supervisors_of(department_id: int) -> QuerySet[User]:
    """A department's active supervisors (its queue's people), oldest account first."""
    return User.objects.filter(department_id=department_id, role=Role.SUPERVISOR, is_active=True).order_by("pk")


def active_supervisors(*, excluding: set[int] | frozenset[int] = frozenset()) -> QuerySet[User]:
    """Every active supervisor of a department, oldest account first (less those excluded, by id), with it."""
    return (
        User.objects.filter(is_active=True, role=Role.SUPERVISOR, department__isnull=False)
        .exclude(pk__in=excluding)
        .select_related("department")
        .order_by("pk")
    )


def active_members_of_crew(crew_id: int) -> QuerySet[User]:
    """A crew's active members, oldest account first."""
    return User.objects.filter(crews=crew_id, is_active=True).order_by("pk")


def active_person(user_id: int) -> User | None:
    """The account with this id, if it is still active."""
    return User.objects.filter(pk=user_id, is_active=True).first()


def person(user_id: int) -> User:
    """The account with this id (User.DoesNotExist if it is gone)."""
    return User.objects.get(pk=user_id)


def phone_of(user_id: int) -> str:
    """The phone number in a person's profile ("" when none, or no such account)."""
    return User.objects.filter(pk=user_id).values_list("phone", flat=True).first() or ""


def people_with_ids(user_ids: Iterable[int]) -> QuerySet[User]:
    """The accounts with these ids (those still there), in no particular order."""
    return User.objects.filter(pk__in=list(user_ids))


def assignable_people(department_id: int | None) -> QuerySet[User]:
    """Who a request of this department may be assigned to: its active staff, crews and supervisors, by name."""
    if department_id is None:
        return User.objects.none()
    return User.objects.filter(department_id=department_id, is_active=True, role__in=WORKING_ROLES).order_by(
        "name", "email"
    )


def active_staff_of(department_id: int | None) -> QuerySet[User]:
    """The active staff of a department, of any staff role (with no department: those who have none)."""
    staff = User.objects.filter(is_active=True, role__in=STAFF_ROLES)
    return staff.filter(department__isnull=True) if department_id is None else staff.filter(department_id=department_id)


def account_for_update(user_id: int) -> User:
    """The account, its row locked until the transaction ends (User.DoesNotExist if it is gone)."""
    return User.objects.select_for_update().get(pk=user_id)


def saved_places_for(user: User | object) -> list[SavedPlace]:
    """This person's saved places (home, then work, then the others by label); [] for anyone signed out.

    Each has `lat`, `lng`, `address` and a display name (`str(place)`: its label, else its kind's words).
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
