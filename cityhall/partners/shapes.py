"""What a partner reads of a request and of an event: the JSON API's RequestOut and EventOut, and the
webhooks' payloads (one shape, so a partner parses both alike). Rows come from the request selectors
(partner_request, partner_request_page, public_events, partner_events), already scrubbed; reporter
details never reach here."""

from __future__ import annotations

from typing import Any

from cityhall.applications.models import Application, ApplicationEvent
from cityhall.catalogue.selectors import catalogue_labels
from cityhall.documents.links import verify_url


def request_body(row: dict[str, Any], jurisdiction_pk: int) -> dict[str, Any]:
    """One row of selectors.partner_request_page / partner_request, as RequestOut."""
    labels = catalogue_labels(jurisdiction_pk)
    code, name = labels.services[row["service_id"]]
    return {
        "id": row["public_id"],
        "service_code": code,
        "service_name": name,
        "department": labels.departments.get(row["department_id"]),
        "status": row["status"],
        "resolution": row["resolution"] or None,
        "status_note": row["status_note"] or None,
        "description": row["description"] or None,
        "address": row["address"] or row["location_description"] or None,
        "zipcode": row["zipcode"] or None,
        "lat": row["lat"],
        "long": row["lng"],
        "channel": row["channel"],
        "supporters": row["support_count"],
        "duplicate_of": row["duplicate_of__public_id"],
        "requested_at": row["requested_at"],
        "updated_at": row["updated_at"],
        "expected_at": row["expected_at"],
    }


def event_body(row: dict[str, Any]) -> dict[str, Any]:
    """One row of selectors.public_events (its note already scrubbed), as EventOut."""
    return {
        "id": row["id"],
        "at": row["created_at"],
        "kind": row["kind"],
        "action": row["action"] or None,
        "status": row["to_status"] or None,
        "note": row["public_note"] or None,
    }


def application_body(application: Application) -> dict[str, Any]:
    """An application as ApplicationOut: no answers, no applicant, no files, no signature (docs/api.md).

    Its steps must be prefetched (applications.selectors.partner_application_page / partner_application).
    """
    steps = list(application.steps.all())
    number = application.document_number
    return {
        "reference": application.reference,
        "service_code": application.service.code,
        "service_name": application.service.name,
        "status": application.status,
        "channel": application.channel,
        "submitted_at": application.submitted_at,
        "decided_at": application.decided_at,
        "updated_at": application.updated_at,
        "steps": [
            {
                "position": step.position,
                "name": step.label(),
                "department": step.department.slug,
                "stage": step.stage,
                "status": step.status,
                "due_at": step.due_at,
                "decided_at": step.decided_at,
            }
            for step in steps
        ],
        "conditions": [step.conditions for step in steps if step.conditions],
        "document": {"number": number, "verify_url": verify_url(number)} if number else None,
    }


def application_event_body(event: ApplicationEvent) -> dict[str, Any]:
    """One event of applications.selectors.partner_application_events, as ApplicationEventOut: no words."""
    return {
        "id": event.pk,
        "at": event.at,
        "kind": event.kind,
        "status_from": event.status_from or None,
        "status_to": event.status_to or None,
        "step": event.step.position if event.step else None,
        "department": event.step.department.slug if event.step else None,
    }
