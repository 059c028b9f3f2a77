"""Rows of the request selectors in the JSON API's shapes (schemas.py). Reporter details never reach here.

A request and an event are shaped by cityhall.partners.shapes, which the webhooks share.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpResponse
from pydantic import BaseModel

from cityhall.catalogue.models import Service
from cityhall.partners.shapes import event_body as event_body
from cityhall.partners.shapes import request_body as request_body


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


def render(data: object) -> bytes:
    return orjson.dumps(data)


def json_response(shape: type[BaseModel], body: dict[str, Any], *, status: int = 200) -> HttpResponse:
    """A body checked against its schema and rendered as ninja renders it (api.Orjson), for the answers
    the idempotency store keeps."""
    checked = shape.model_validate(body).model_dump()
    return HttpResponse(render(checked), status=status, content_type="application/json")
