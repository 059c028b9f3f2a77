"""Who a person is to an application, and the doors that hand applications out (or raise NotFound).

The applicant sees their own; a paper draft is filled in by the staff member who keyed it in too.
Staff see an application when their department owns one of its steps;
the 311 desk and admins see every submitted one (they read; they decide no step they do not own).
What a person is to one *step* is `step_roles`: staff or supervisors of the step's department, as the
step's role allows. An application a person may not see is one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from cityhall.accounts.models import User
from cityhall.accounts.roles import Role
from cityhall.core.errors import NotFound
from cityhall.documents.models import Document
from cityhall.documents.selectors import document_by_number

from .events import Actor
from .models import Application, ApplicationFile, ApplicationStep, Channel, Status, StepRole

AnyUser = User | AnonymousUser | None


def step_roles(user: AnyUser, step: ApplicationStep) -> frozenset[Role]:
    """What this person is to this step: its owner (STAFF or SUPERVISOR) or nothing. Pure: no query."""
    if not isinstance(user, User) or not user.is_active or user.department_id is None:
        return frozenset()
    if user.department_id != step.department_id:
        return frozenset()
    if user.role == Role.SUPERVISOR:
        return frozenset({Role.SUPERVISOR})
    if user.role == Role.STAFF and step.role == StepRole.STAFF:
        return frozenset({Role.STAFF})
    return frozenset()


def involved_department_ids(application: Application) -> set[int]:
    return set(ApplicationStep.objects.filter(application=application).values_list("department_id", flat=True))


def roles_for(user: AnyUser, application: Application) -> frozenset[Role]:
    """What this person is to this application (step ownership is judged per step: `step_roles`)."""
    roles = {Role.PUBLIC}
    if not isinstance(user, User) or not user.is_active:
        return frozenset(roles)
    if application.applicant_id == user.pk:
        roles.add(Role.APPLICANT)
    if (
        application.status == Status.DRAFT
        and application.channel == Channel.PAPER
        and application.keyed_by_id == user.pk
    ):
        roles.add(Role.APPLICANT)  # keying in a paper draft, for its applicant: until it is submitted
    if application.status == Status.DRAFT:
        return frozenset(roles)  # a draft is the applicant's alone
    match user.role:
        case Role.ADMIN:
            roles.add(Role.ADMIN)
        case Role.AGENT:
            roles.add(Role.AGENT)
        case Role.STAFF | Role.SUPERVISOR if user.department_id in involved_department_ids(application):
            roles.add(Role(user.role))
    return frozenset(roles)


def actor_for(user: AnyUser, application: Application) -> Actor:
    return Actor(user=user if isinstance(user, User) else None, roles=roles_for(user, application))


STAFF_DOOR = frozenset({Role.STAFF, Role.SUPERVISOR, Role.AGENT, Role.ADMIN})


def application_for_staff(user: AnyUser, reference: str) -> tuple[Application, Actor]:
    """An application as staff work on it: its departments' staff, the 311 desk and admins; else NotFound."""
    application = (
        Application.objects.select_related("service", "form_version", "applicant", "signature")
        .filter(reference=reference)
        .exclude(status=Status.DRAFT)
        .first()
    )
    if application is None:
        raise NotFound()
    actor = actor_for(user, application)
    if actor.roles.isdisjoint(STAFF_DOOR):
        raise NotFound()
    return application, actor


def application_for_applicant(user: Any, reference: str) -> Application:
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    application = (
        Application.objects.select_related("service", "form_version", "signature")
        .filter(reference=reference, applicant=user)
        .first()
    )
    if application is None:
        raise NotFound()
    return application


def decision_of(application: Application) -> Document | None:
    """The signed decision named on the application: named once the city has sealed it
    (services/decisions.py), so never a half-signed file. It may since have been withdrawn."""
    return document_by_number(application.document_number) if application.document_number else None


def decision_for_applicant(user: Any, reference: str) -> Document:
    """The decision file, to its applicant, while the city stands by it: a withdrawn permit is not
    handed out again to be shown as if it held (/verify says it was withdrawn, and why)."""
    document = decision_of(application_for_applicant(user, reference))
    if document is None or document.status == Document.Status.WITHDRAWN:
        raise NotFound()
    return document


# Who may key in a resident's paper application: the 311 desk, department staff and supervisors, admins.
PAPER_KEYERS = frozenset({Role.AGENT, Role.STAFF, Role.SUPERVISOR, Role.ADMIN})


def may_key_paper(user: AnyUser) -> bool:
    return isinstance(user, User) and user.is_active and user.role in PAPER_KEYERS


def application_for_filler(user: Any, reference: str) -> Application:
    """Who may fill in a draft: its applicant, and for a paper draft the staff member who keyed it in."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    application = (
        Application.objects.select_related("service", "form_version", "signature")
        .filter(reference=reference)
        .filter(Q(applicant=user) | Q(channel=Channel.PAPER, status=Status.DRAFT, keyed_by=user))
        .first()
    )
    if application is None:
        raise NotFound()
    return application


def file_for_filler(user: Any, reference: str, file_id: str) -> ApplicationFile:
    return _file_of(application_for_filler(user, reference), file_id)


def applicant_actor(user: Any, reference: str) -> tuple[Application, Actor]:
    """The applicant's door, with the Actor the services take (respond, withdraw)."""
    application = application_for_applicant(user, reference)
    return application, actor_for(user, application)


def _file_of(application: Application, file_id: str) -> ApplicationFile:
    stored = ApplicationFile.objects.filter(application=application, pk=file_id).first()
    if stored is None:
        raise NotFound()
    return stored


def file_for_applicant(user: Any, reference: str, file_id: str) -> ApplicationFile:
    return _file_of(application_for_applicant(user, reference), file_id)


def file_for_staff(user: AnyUser, reference: str, file_id: str) -> ApplicationFile:
    application, _actor = application_for_staff(user, reference)
    return _file_of(application, file_id)
