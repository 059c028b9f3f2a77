"""Who may see which dashboards: the one place these rules live.

City-wide: admins and the 311 desk (who already see every request). Supervisors (the department
heads) and department staff see their own department only; field crews work from their own list
and have no dashboards. A filter naming another department is refused, not quietly narrowed, so nobody mistakes
their department's figures for the city's. Residents and signed-out visitors get a 404 from
`cityhall.requests.access.staff_account`, as on every staff page.
"""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext as _

from cityhall.accounts.models import Role, User
from cityhall.core.errors import NotFound
from cityhall.requests.access import AnyUser, staff_account

from .filters import FilterError, Filters

CITY_WIDE = frozenset({Role.ADMIN, Role.AGENT})


def may_see_dashboards(user: AnyUser) -> bool:
    try:
        dashboard_viewer(user)
    except NotFound:
        return False
    return True


def dashboard_viewer(user: AnyUser) -> User:
    """A person who may open the dashboards, or NotFound."""
    account = staff_account(user)
    if account.role == Role.CREW or (account.role not in CITY_WIDE and account.department_id is None):
        raise NotFound()
    return account


def scoped(filters: Filters, user: User) -> Filters:
    """The filters this person may run: their department pinned unless they see the whole city."""
    if user.role in CITY_WIDE:
        return filters
    if filters.department is not None and filters.department.pk != user.department_id:
        raise FilterError(_("You can see the dashboards of your own department only."))
    return replace(filters, department=user.department)


def department_ids(user: User) -> list[int] | None:
    """The departments whose requests this person's lists may show (None: all)."""
    return None if user.role in CITY_WIDE else [user.department_id or 0]
