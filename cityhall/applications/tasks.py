"""Thin task wrappers: they take ids (or nothing), call services, and are safe to run twice."""

from __future__ import annotations

from django_tasks import task

from .services import application_decision_document_issue, applications_expire, applications_missing_documents_issue


@task()
def issue_decision_document(application_id: int) -> str | None:
    """Idempotent: the document is found by its subject, so a second run issues nothing new."""
    return application_decision_document_issue(application_id)


@task()
def expire_unanswered_applications() -> int:
    """Idempotent: an application expired by a first run no longer waits for an answer."""
    return applications_expire()


@task()
def issue_missing_decision_documents() -> int:
    """Idempotent: each document is found by its subject; what is issued no longer counts as missing."""
    return applications_missing_documents_issue()
