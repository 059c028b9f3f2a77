"""Reads of people for the apps above: active staff, supervisors (all, or a department's), a crew's
members, one person and their phone."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import STAFF_ROLES, Role, User


def active_staff(*, excluding: set[int] | frozenset[int] = frozenset()) -> QuerySet[User]:
    """Every active member of city staff, oldest account first (less those excluded, by id)."""
    return User.objects.filter(is_active=True, role__in=STAFF_ROLES).exclude(pk__in=excluding).order_by("pk")


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
