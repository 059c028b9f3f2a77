"""Rows of the request selectors in the JSON API's shapes (schemas.py). Reporter details never reach here."""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpResponse
from pydantic import BaseModel

from cityhall.catalogue.models import Service
from cityhall.catalogue.selectors import catalogue_labels


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


def service_body(service: Service, *, has_questions: bool) -> dict[str, Any]:
    return {
        "code": service.code,
        "name": service.name,
        "description": service.description or None,
        "group": service.group.name if service.group else None,
        "has_questions": has_questions,
    }


def questions(service: Service) -> list[dict[str, Any]]:
    """The category's questions, in order (read from the prefetched rows of catalogue.selectors.service_for)."""
    return [
        {
            "code": question.code,
            "question": question.description,
            "datatype": question.datatype,
            "required": question.required,
            "choices": [{"key": v.key, "name": v.name} for v in question.values.all()] if question.is_list else [],
        }
        for question in service.attributes.all()
        if question.variable
    ]


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


def render(data: object) -> bytes:
    return orjson.dumps(data)


def json_response(shape: type[BaseModel], body: dict[str, Any], *, status: int = 200) -> HttpResponse:
    """A body checked against its schema and rendered as ninja renders it (api.Orjson), for the answers
    the idempotency store keeps."""
    checked = shape.model_validate(body).model_dump()
    return HttpResponse(render(checked), status=status, content_type="application/json")
