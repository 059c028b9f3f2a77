"""Applications made through the public services, for the workflow's tests."""

from __future__ import annotations

from datetime import datetime

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from cityhall.accounts.models import Role, User
from cityhall.applications import services
from cityhall.applications.access import actor_for
from cityhall.applications.events import Actor
from cityhall.applications.models import Application, ApplicationStep, DigitalService
from cityhall.catalogue.models import Department
from tests.applications import submitted as submit

TREE = {
    "tree_address": "1685 Main St",
    "tree_place": "parkway",
    "work": "prune",
    "reasons": ["branches"],
    "owner": "no",
    "contact_name": "Rosa Resident",
    "contact_phone": "310-555-0142",
    "contact_email": "rosa@example.com",
    "forester": "yes",
}


def submitted(service: DigitalService, applicant: User, answers: dict | None = None) -> Application:
    """A tree work application (or these answers), signed and submitted."""
    return submit(service, applicant, answers=answers or TREE, typed_name=applicant.name or "Rosa Resident")


def person(email: str, role: Role, department: str | None, *, second_factor: bool = True) -> User:
    user = User.objects.create_user(
        email,
        None,
        role=role,
        name=email.split("@")[0].replace(".", " ").title(),
        department=Department.objects.get(slug=department) if department else None,
    )
    if second_factor:
        TOTP.activate(user, generate_totp_secret())
    return user


def without_second_factor(user: User) -> User:
    Authenticator.objects.filter(user=user).delete()
    return user


def actor(user: User, application: Application) -> Actor:
    return actor_for(user, Application.objects.get(pk=application.pk))


def steps(application: Application) -> list[ApplicationStep]:
    return list(ApplicationStep.objects.filter(application=application).order_by("position"))


def decide(application: Application, step: ApplicationStep, user: User, action, *, at: datetime | None = None, **words):
    return services.application_step_decide(
        Application.objects.get(pk=application.pk),
        ApplicationStep.objects.get(pk=step.pk),
        action=action,
        actor=actor(user, application),
        now=at,
        **words,
    )
