"""Applications to read and to hear about, for the tests of the JSON API, webhooks and notifications.

A demo digital service given review steps and published again, then an application made, signed and
submitted through the applications app's own services, and decided by the step's owner.
"""

from __future__ import annotations

from cityhall.accounts.models import User
from cityhall.applications import services
from cityhall.applications.access import actor_for
from cityhall.applications.models import Application, ApplicationStep, DigitalService, WorkflowStep
from cityhall.applications.selectors import steps_of
from cityhall.applications.signing import answers_digest
from cityhall.applications.workflow import Action
from cityhall.catalogue.models import Department, Jurisdiction
from cityhall.demo.applications import SAMPLE_ANSWERS, load_digital_services

RECORDS = "public-records"
# What a partner must never read: the applicant's words and contact (in SAMPLE_ANSWERS) and the signature.
PERSONAL = ("Building permits issued for 1200 Pine St", "resident@demo.cityhall.test", "Pine St", "CityHall tests")


def under_review(
    jurisdiction: Jurisdiction, *codes: str, departments: tuple[str, ...] = ("public-works",)
) -> list[DigitalService]:
    """The demo's digital services of these codes, each given review steps by these departments."""
    found = {service.code: service for service in load_digital_services(jurisdiction)}
    return [with_review_steps(found[code], *departments) for code in codes]


def with_review_steps(service: DigitalService, *departments: str) -> DigitalService:
    """The service with one review step per department (each its own stage, in order) instead of the demo's,
    published again: the tests' staff belong to these departments."""
    WorkflowStep.objects.filter(service=service).delete()
    for stage, slug in enumerate(departments, start=1):
        WorkflowStep.objects.create(
            service=service,
            stage=stage,
            name_en=f"Review by {slug}",
            name_es=f"Revisión de {slug}",
            department=Department.objects.get(slug=slug),
            sla_business_days=5,
        )
    services.form_publish(service, by=None)
    return service


def submitted(
    service: DigitalService,
    applicant: User,
    *,
    answers: dict[str, object] | None = None,
    uploads: dict[str, list[services.Upload]] | None = None,
    typed_name: str = "",
    language: str = "en",
) -> Application:
    """A complete application, signed and submitted through the applications app's own services: the
    demo's sample answers of its service unless others are given. Every test builder ends here."""
    application = services.application_start(service, applicant=applicant, language=language)
    application = services.application_save(
        application,
        answers=answers if answers is not None else SAMPLE_ANSWERS[service.code],
        uploads=uploads or {},
        actor=applicant,
    )
    services.application_submit(
        application,
        typed_name=typed_name or applicant.name or "Applicant",
        consent=True,
        reviewed=answers_digest(application),
        actor=applicant,
        ip_address="192.0.2.7",
        user_agent="CityHall tests",
    )
    return Application.objects.get(pk=application.pk)


def open_step(application: Application) -> ApplicationStep:
    return next(step for step in steps_of(application) if step.status == "open")


def decide(application: Application, who: User, action: Action, **words: str) -> Application:
    """The open step's owner takes a step action (approve, approve_with_conditions, deny, ask_info)."""
    return services.application_step_decide(
        application, open_step(application), action=action, actor=actor_for(who, application), **words
    )
