"""The decision document of an application: issued, signed by each decider, sealed by the city, once.

Run by a task after the decision commits (`tasks.issue_decision_document`). Idempotent and resumable:
the document is found by its subject (`application:<reference>`), so a second run (or a run after a
crash half-way) issues nothing new; it signs for whoever has not signed yet, seals if not sealed, and
records the number once. A decider who can no longer sign (no second factor any more, no longer
staff) is left out: the city still seals the document, and the event names who did not sign, so the
decision is never held back by one person's account (docs/digital-services.md, "Decision documents").
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.core import clock
from cityhall.core.errors import DomainError
from cityhall.core.stored_files import stored_files_kept_only_on_success
from cityhall.documents.models import Document
from cityhall.documents.rendering import printable
from cityhall.documents.selectors import documents_about, signatures_of
from cityhall.documents.services import document_issue, document_seal, document_sign_by

from ..events import record
from ..models import Application, ApplicationEvent, ApplicationStep, Status, StepStatus

logger = logging.getLogger(__name__)


def subject_of(application: Application) -> str:
    return f"application:{application.reference}"


def _printable(text: str) -> str:
    """The fonts draw Latin-1: anything else (an emoji in a reason) prints as "?" rather than stop the decision."""
    return printable(text) or text.encode("latin-1", "replace").decode("latin-1")


def _date(moment: object) -> str:
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")  # type: ignore[arg-type]


def _person(user: User | None) -> str:
    return (user.name or user.email) if user else _("the city")


def _contents(application: Application, steps: list[ApplicationStep]) -> tuple[str, str, list[str], list[str]]:
    """(kind, title, paragraphs, conditions) in the application's language."""
    service = application.service
    first = _("Application %(reference)s for “%(service)s”, made by %(applicant)s and submitted on %(date)s.") % {
        "reference": application.reference,
        "service": service.name,
        "applicant": _person(application.applicant),
        "date": _date(application.submitted_at),
    }
    if application.status == Status.APPROVED:
        lines = [first, _("The City has approved this application.")]
        for step in steps:
            lines.append(
                _("%(step)s (%(department)s): approved by %(person)s on %(date)s.")
                % {
                    "step": step.label(application.language),
                    "department": step.department.name,
                    "person": _person(step.decided_by),
                    "date": _date(step.decided_at),
                }
            )
        conditions = [step.conditions for step in steps if step.conditions]
        return service.approval_kind, service.decision_title or service.name, lines, conditions
    denied = next(step for step in steps if step.status == StepStatus.DENIED)
    lines = [
        first,
        _("The City has denied this application."),
        _("%(step)s (%(department)s), by %(person)s on %(date)s: %(reason)s")
        % {
            "step": denied.label(application.language),
            "department": denied.department.name,
            "person": _person(denied.decided_by),
            "date": _date(denied.decided_at),
            "reason": denied.reason,
        },
    ]
    return "denial", service.name, lines, []


def deciders_of(application: Application, steps: list[ApplicationStep]) -> list[User]:
    """Who signs: every approver in step order (each once); for a denial, who denied."""
    decided = StepStatus.APPROVED if application.status == Status.APPROVED else StepStatus.DENIED
    people: dict[int, User] = {}
    for step in steps:
        if step.status == decided and step.decided_by is not None:
            people.setdefault(step.decided_by.pk, step.decided_by)
    return list(people.values())


def application_decision_document_issue(application_id: int) -> str | None:
    """Issues, signs and seals the decision document of a decided application; its number (None: undecided).

    All or nothing: if the seal cannot be reached, no row is kept, and neither is any file stored on the way.
    """
    with stored_files_kept_only_on_success(), transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("service", "applicant")
            .filter(pk=application_id, status__in=[Status.APPROVED, Status.DENIED])
            .first()
        )
        if application is None:
            return None
        if application.document_number:
            return application.document_number
        steps = list(ApplicationStep.objects.filter(application=application).select_related("department", "decided_by"))
        subject = subject_of(application)
        document = next((row for row in documents_about(subject) if row.status != Document.Status.WITHDRAWN), None)
        if document is None:
            with translation.override(application.language):
                kind, title, paragraphs, conditions = _contents(application, steps)
            document = document_issue(
                kind=kind,
                title=_printable(title),
                paragraphs=[_printable(text) for text in paragraphs],
                conditions=[_printable(text) for text in conditions],
                subject=subject,
                language=application.language,
            )
        signed = {signature.certificate.person_id for signature in signatures_of(document)}
        unsigned = []
        if document.sealed_at is None:
            for person in deciders_of(application, steps):
                if person.pk in signed:
                    continue
                try:
                    document = document_sign_by(document, person)
                except DomainError:
                    unsigned.append(_person(person))
            document = document_seal(document)
        application.document_number = document.number
        application.save(update_fields=["document_number"])
        record(
            application,
            ApplicationEvent.Kind.DOCUMENT_ISSUED,
            actor=None,
            at=clock.now(),
            data={"number": document.number, "kind": document.kind, "unsigned": unsigned},
        )
    return document.number


# The decision's own task tries first, at the decision; the sweep tries again only after this long.
DOCUMENT_RETRY_AFTER = timedelta(minutes=10)
# A sweep's share: more wait for the next one, so a seal down for a day does not make one long run.
DOCUMENT_RETRIES_PER_SWEEP = 50


def applications_missing_documents_issue() -> int:
    """Tries again the decision documents still missing after DOCUMENT_RETRY_AFTER (the seal or a
    signer's key was unavailable when the decision's task ran); how many it issued. Idempotent."""
    cutoff = clock.now() - DOCUMENT_RETRY_AFTER
    waiting = list(
        Application.objects.filter(
            status__in=[Status.APPROVED, Status.DENIED], document_number="", decided_at__lte=cutoff
        )
        .order_by("decided_at")
        .values_list("pk", flat=True)[:DOCUMENT_RETRIES_PER_SWEEP]
    )
    issued = 0
    for application_id in waiting:
        try:
            issued += application_decision_document_issue(application_id) is not None
        except DomainError as refused:  # still unavailable: the next sweep tries again
            logger.warning("The decision document of application %s is still not issued: %s", application_id, refused)
    return issued
