"""Helpers of the staff tests: requests in each place of the workflow, and a snapshot to prove nothing changed."""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict

from cityhall.accounts.models import User
from cityhall.catalogue.models import Crew, Department, Service
from cityhall.requests.models import ServiceRequest
from cityhall.requests.tests.builders import CITY_HALL, put_in_status, submit
from cityhall.requests.workflow import Status

# No default department and no routing rule: a report of it waits in the 311 triage queue.
UNROUTED = "trash-illegal-dumping"


def in_triage(service: Service, *, at: tuple[float, float] = CITY_HALL, **kwargs: Any) -> ServiceRequest:
    request = submit(service, at=at, **kwargs)
    assert request.status == Status.SUBMITTED, "the category should wait in triage"
    return request


def in_status(
    service: Service,
    status: Status,
    *,
    department: Department,
    assignee: User | None = None,
    crew: Crew | None = None,
    **kwargs: Any,
) -> ServiceRequest:
    return put_in_status(submit(service, **kwargs), status, department=department, assignee=assignee, crew=crew)


def snapshot(request: ServiceRequest) -> dict[str, Any]:
    """Everything stored about a request and its timeline, to compare before and after a refused call."""
    fresh = ServiceRequest.objects.get(pk=request.pk)
    return {
        "row": model_to_dict(fresh),
        "events": fresh.events.count(),
        "attachments": fresh.attachments.count(),
        "supports": fresh.supports.count(),
    }
