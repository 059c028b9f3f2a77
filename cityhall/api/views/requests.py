"""Requests: the list (cursor pages, filters), one request, its public timeline, filing one, acting on one.

Reads show public fields and public text only, to every key. Writes go through the same doors and
services as Open311 (cityhall.requests.access, .services) with the key's scopes, and may carry an
`Idempotency-Key` (cityhall.partners.idempotency): a retry replays the first answer.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.params.functions import Path, Query

from cityhall.catalogue.selectors import catalogue_labels, service_for
from cityhall.core import clock
from cityhall.core.problem_details import Problem
from cityhall.partners import idempotency
from cityhall.requests import access, selectors, services
from cityhall.requests.models import Channel, ServiceRequest
from cityhall.requests.workflow import Action, Status

from .. import cursors, serialize
from ..auth import Caller, caller_of
from ..schemas import (
    IDENTIFIER,
    REFUSALS,
    WRITE_REFUSALS,
    ActionIn,
    EventOut,
    Moment,
    NewRequest,
    RequestDetail,
    RequestPage,
)

router = Router(tags=["requests"])

DEFAULT_PAGE, MAX_PAGE = 50, 200
# The API's tokens in the shared idempotency store, apart from Open311's.
TOKEN_PREFIX = "api:"  # noqa: S105 (a namespace, not a secret)


PublicId = Annotated[str, Path(..., pattern=IDENTIFIER, description="The request's public id.")]
# Writes document the header they take (ninja reads headers only into parameters it passes the view).
IDEMPOTENCY: dict[str, Any] = {
    "parameters": [
        {
            "name": idempotency.HEADER,
            "in": "header",
            "required": False,
            "description": "1 to 255 printable ASCII characters; a retry with the same key replays the first answer.",
            "schema": {"type": "string", "maxLength": idempotency.MAX_TOKEN},
        }
    ]
}


@router.get(
    "",
    response={200: RequestPage, **REFUSALS},
    summary="List public requests, newest first, a page at a time",
)
def list_requests(
    request: HttpRequest,
    service_code: list[str] = Query([], description="Only these categories (repeat the parameter)."),
    status: list[Status] = Query([], description="Only these statuses (repeat the parameter)."),
    requested_after: Moment | None = Query(None, description="Requested at or after this moment."),
    requested_before: Moment | None = Query(None, description="Requested before this moment."),
    updated_after: Moment | None = Query(None, description="Changed at or after this moment (incremental sync)."),
    limit: int = Query(DEFAULT_PAGE, ge=1, le=MAX_PAGE, description="Requests per page."),
    cursor: str | None = Query(None, max_length=cursors.MAX_CURSOR, description="next_cursor of the page before."),
) -> dict[str, Any]:
    caller = caller_of(request)
    labels = catalogue_labels(caller.jurisdiction.pk)
    unknown = [code for code in service_code if code not in labels.service_ids]
    if unknown:
        raise Problem(
            422,
            "Unknown service_code.",
            code="invalid",
            errors=[{"field": "service_code", "message": f"There is no public category “{code}”."} for code in unknown],
        )
    after = cursors.after(cursor)
    where = selectors.PartnerFilter(
        service_ids=[labels.service_ids[code] for code in service_code],
        statuses=[value.value for value in status],
        requested_after=requested_after,
        requested_before=requested_before,
        updated_after=updated_after,
    )
    # One more than a page tells whether there is a next one without a count.
    rows = selectors.partner_request_page(caller.jurisdiction.pk, where, after=after, limit=limit + 1)
    page, more = rows[:limit], len(rows) > limit
    last = page[-1] if page else None
    return {
        "items": [serialize.request_body(row, caller.jurisdiction.pk) for row in page],
        "next_cursor": cursors.encode(last["requested_at"], last["id"]) if more and last else None,
    }


@router.get("/{public_id}", response={200: RequestDetail, **REFUSALS}, summary="One request")
def get_request(request: HttpRequest, public_id: PublicId) -> dict[str, Any]:
    caller = caller_of(request)
    service_request = access.request_for_partner_to_read(public_id, jurisdiction_id=caller.jurisdiction.pk)
    return _detail(caller, service_request)


@router.get("/{public_id}/events", response={200: list[EventOut], **REFUSALS}, summary="A request's public timeline")
def list_events(request: HttpRequest, public_id: PublicId) -> list[dict[str, Any]]:
    caller = caller_of(request)
    service_request = access.request_for_partner_to_read(public_id, jurisdiction_id=caller.jurisdiction.pk)
    rows = selectors.public_events([service_request.pk]).get(service_request.pk, [])
    return [serialize.event_body(row) for row in rows]


@router.post(
    "",
    response={201: RequestDetail, **WRITE_REFUSALS},
    summary="File a request (scope submit)",
    openapi_extra=IDEMPOTENCY,
)
def create_request(request: HttpRequest, body: NewRequest) -> HttpResponse:
    caller = caller_of(request)
    access.partner_may_submit(caller.partner)

    def write() -> HttpResponse:
        service = service_for(caller.jurisdiction, body.service_code, include_private=True)
        created = services.service_request_submit(
            service=service,
            location=services.Location(
                lat=body.lat,
                lng=body.long,
                address=body.address,
                address_id=body.address_id,
                zipcode=body.zipcode,
                description=body.location_description,
            ),
            description=body.description,
            attributes=body.attributes,
            contact=services.Contact(name=body.contact.name, email=body.contact.email, phone=body.contact.phone),
            channel=Channel.API,
            media_url=body.media_url,
            client=services.ClientInfo(api_client=caller.key.name),
        )
        answer = serialize.json_response(RequestDetail, _detail(caller, created), status=201)
        answer["Location"] = request.build_absolute_uri(f"{request.path.rstrip('/')}/{created.public_id}")
        return answer

    return _once(request, caller, write)


@router.post(
    "/{public_id}/actions",
    response={200: RequestDetail, **WRITE_REFUSALS},
    summary="Act on a request through the workflow (scopes update-own, update-any)",
)
def act_on_request(request: HttpRequest, public_id: PublicId, body: ActionIn) -> HttpResponse:
    caller = caller_of(request)
    service_request, actor = access.request_for_partner(
        public_id, partner=caller.partner, jurisdiction_id=caller.jurisdiction.pk
    )

    def write() -> HttpResponse:
        services.service_request_transition(
            service_request=service_request,
            action=Action(body.action),
            actor=actor,
            change=services.Change(public_note=body.note, reason=body.reason),
        )
        fresh = access.request_for_partner_to_read(public_id, jurisdiction_id=caller.jurisdiction.pk)
        return serialize.json_response(RequestDetail, _detail(caller, fresh))

    return _once(request, caller, write)


def _detail(caller: Caller, service_request: ServiceRequest) -> dict[str, Any]:
    body = serialize.request_body(selectors.partner_request(service_request), caller.jurisdiction.pk)
    body["actions"] = [action.value for action in access.partner_actions(caller.partner, service_request, clock.now())]
    return body


def _once(request: HttpRequest, caller: Caller, write: Any) -> HttpResponse:
    """The write, once per Idempotency-Key: the same key and body replay the first answer."""
    header = request.headers.get(idempotency.HEADER, "").strip()
    if not header:
        return write()  # type: ignore[no-any-return]
    problem = idempotency.header_problem(header)
    if problem:
        raise Problem(400, problem, code="invalid", errors=[_error(idempotency.HEADER, problem)])
    asked = hashlib.sha256((request.method or "").encode() + request.path.encode() + b"\n" + request.body).hexdigest()
    try:
        return idempotency.once(caller.key, f"{TOKEN_PREFIX}{header}", asked, write)
    except idempotency.KeyReused:
        raise Problem(
            422,
            f"This {idempotency.HEADER} was already used for a different call; send a new one for a new call.",
            code="idempotency-key-reused",
        ) from None


def _error(field: str, message: str) -> dict[str, str]:
    return {"field": field, "message": message}
