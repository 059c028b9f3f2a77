"""Who may export what: every dataset is public; the fields the public never sees are the city's, by role.

The internal exports (`internal.py`) hold every reporter's name, email and phone and the city's
internal notes across all departments, so only the people who answer for the city's data as a whole
may take them: city admins and supervisors. Agents, department staff and crews see personal data one
request at a time in the workspace, which is what their work needs; residents never. Anyone,
signed in or not, may download the public datasets.
"""

from __future__ import annotations

from typing import Any

from cityhall.accounts.models import Role

INTERNAL_EXPORT_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})


def may_export_internal(user: Any) -> bool:
    """Whether this person may export datasets with the fields the public never sees."""
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "role", None) in INTERNAL_EXPORT_ROLES
