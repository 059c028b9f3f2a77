"""Applications for digital services (scope applications), read-only: cursor pages, one application, its events.

What a partner reads is the review's course, never the applicant: no answers, no contact, no files, no
signature (cityhall.partners.shapes.application_body). Decisions are taken by signed-in staff with a
second factor, whose sign-off becomes their signature on the decision: partners cannot decide, so
there is no write here (docs/api.md, *Applications*).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router
from ninja.params.functions import Path, Query

from cityhall.applications import selectors
from cityhall.applications.models import Application
from cityhall.core.problem_details import Problem
from cityhall.partners import shapes
from cityhall.requests import access

from .. import cursors
from ..auth import caller_of
from ..schemas import (
    IDENTIFIER,
    REFUSALS,
    ApplicationEventOut,
    ApplicationOut,
    ApplicationPage,
    ApplicationStatus,
    Moment,
)

router = Router(tags=["applications"])

DEFAULT_PAGE, MAX_PAGE = 50, 200
Reference = Annotated[str, Path(..., pattern=r"^[0-9]{1,12}$", description="The application's reference.")]


@router.get(
    "",
    response={200: ApplicationPage, **REFUSALS},
    summary="List the city's applications, newest submitted first (scope applications)",
)
def list_applications(
    request: HttpRequest,
    service: list[str] = Query([], description="Only these digital services, by code (repeat the parameter)."),
    status: list[ApplicationStatus] = Query([], description="Only these statuses (repeat the parameter)."),
    department: str | None = Query(
        None, pattern=IDENTIFIER, description="Only applications of this department (the service's or a step's)."
    ),
    updated_since: Moment | None = Query(None, description="Changed at or after this moment (incremental sync)."),
    limit: int = Query(DEFAULT_PAGE, ge=1, le=MAX_PAGE, description="Applications per page."),
    cursor: str | None = Query(None, max_length=cursors.MAX_CURSOR, description="next_cursor of the page before."),
) -> dict[str, Any]:
    caller = caller_of(request)
    access.partner_may_read_applications(caller.partner)
    # Only a well-formed code is looked up: PostgreSQL refuses a string with a NUL in it outright.
    well_formed = [code for code in service if re.fullmatch(IDENTIFIER, code)]
    known = selectors.digital_service_ids(well_formed) if well_formed else {}
    errors = [
        {"field": "service", "message": f"There is no digital service “{code[:64]}”."}
        for code in service
        if code not in known
    ]
    if errors:
        raise Problem(422, "Unknown service.", code="invalid", errors=errors)
    if any(value.value == "draft" for value in status):
        errors = [{"field": "status", "message": "Drafts are their applicant's alone."}]
        raise Problem(422, "Drafts are not listed.", code="invalid", errors=errors)
    after = cursors.after(cursor)
    where = selectors.PartnerApplicationFilter(
        service_codes=list(service),
        statuses=[value.value for value in status],
        department=department or "",
        updated_since=updated_since,
    )
    # One more than a page tells whether there is a next one without a count.
    rows = selectors.partner_application_page(caller.jurisdiction.pk, where, after=after, limit=limit + 1)
    page, more = rows[:limit], len(rows) > limit
    last = page[-1] if page else None
    return {
        "items": [shapes.application_body(row) for row in page],
        "next_cursor": cursors.encode(last.submitted_at, last.pk) if more and last and last.submitted_at else None,
    }


@router.get("/{reference}", response={200: ApplicationOut, **REFUSALS}, summary="One application (scope applications)")
def get_application(request: HttpRequest, reference: Reference) -> dict[str, Any]:
    return shapes.application_body(_application(request, reference))


@router.get(
    "/{reference}/events",
    response={200: list[ApplicationEventOut], **REFUSALS},
    summary="An application's review, oldest first (scope applications)",
)
def list_application_events(request: HttpRequest, reference: Reference) -> list[dict[str, Any]]:
    application = _application(request, reference)
    return [shapes.application_event_body(event) for event in selectors.partner_application_events(application)]


def _application(request: HttpRequest, reference: str) -> Application:
    caller = caller_of(request)
    access.partner_may_read_applications(caller.partner)
    application = selectors.partner_application(caller.jurisdiction.pk, reference)
    if application is None:
        raise Problem(404, f"There is no application “{reference}” in this city.", code="not-found")
    return application
