"""Roles, once: what an account is to the city, and what a person is to one request.

An account stores one of `ACCOUNT_ROLES` (`User.role`). The workflow table (`requests/workflow.py`)
speaks of what someone is *to a request*: `requests/access.py` derives it per request from the
account (department roles only count in the owning department) and from the tracking token, and
adds the roles no account holds (the public, the requester, the application, an Open311 partner).
The shared values are the same strings, so an account's role and a request role compare equal.
Pure: importable without the app registry.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    RESIDENT = "resident", "Resident"  # an account with no staff role
    AGENT = "agent", "311 agent"  # 311 desk: every request
    STAFF = "staff", "Department staff"  # to a request: the department that owns it
    CREW = "crew", "Field crew"  # to a request: the field crew it is assigned to
    SUPERVISOR = "supervisor", "Supervisor"  # to a request: the owning department's supervisor
    ADMIN = "admin", "City admin"
    # Request roles only, never stored on an account:
    PUBLIC = "public", "Anyone"  # anyone, signed in or not
    REQUESTER = "requester", "Requester"  # who reported it: the account, or whoever holds the tracking token
    SYSTEM = "system", "The application"  # routing on submit, auto-close, imports
    PARTNER = "partner", "Open311 partner"  # an Open311 client relaying what its user said (FixMyStreet updates)
    APPLICANT = "applicant", "Applicant"  # to an application (cityhall.applications): whoever applied


ACCOUNT_ROLES = (Role.RESIDENT, Role.AGENT, Role.STAFF, Role.CREW, Role.SUPERVISOR, Role.ADMIN)
STAFF_ROLES = frozenset({Role.AGENT, Role.STAFF, Role.CREW, Role.SUPERVISOR, Role.ADMIN})
# A department's own people, who do its work: a request or a crew may be given to them.
WORKING_ROLES = (Role.STAFF, Role.CREW, Role.SUPERVISOR)
