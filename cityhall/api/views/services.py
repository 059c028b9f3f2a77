"""GET services and services/{code}: the city's public, active categories and the questions each asks."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Router
from ninja.params.functions import Path

from cityhall.catalogue.selectors import no_such_category, public_active_services, service_for

from .. import serialize
from ..auth import caller_of
from ..schemas import IDENTIFIER, REFUSALS, ServiceDetail, ServiceOut

router = Router(tags=["services"])


@router.get(
    "", response={200: list[ServiceOut], **REFUSALS}, summary="List the categories a request may be filed under"
)
def list_services(request: HttpRequest) -> list[dict[str, Any]]:
    jurisdiction = caller_of(request).jurisdiction
    rows = (
        public_active_services()
        .filter(jurisdiction_id=jurisdiction.pk)
        .select_related("group")
        .annotate(question_count=Count("attributes", filter=Q(attributes__variable=True)))
    )
    return [serialize.service_body(service, has_questions=bool(service.question_count)) for service in rows]


@router.get("/{code}", response={200: ServiceDetail, **REFUSALS}, summary="One category, with the questions it asks")
def get_service(request: HttpRequest, code: str = Path(..., pattern=IDENTIFIER)) -> dict[str, Any]:
    jurisdiction = caller_of(request).jurisdiction
    service = service_for(jurisdiction, code, include_private=False)
    if not service.active:
        raise no_such_category(jurisdiction, code)
    asked = serialize.questions(service)
    return {**serialize.service_body(service, has_questions=bool(asked)), "questions": asked}
