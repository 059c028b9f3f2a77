"""Bulk actions from a queue: the same action on many requests, each checked and written on its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cityhall.core.errors import DomainError

from .. import events
from ..models import ServiceRequest
from ..workflow import Action
from .transition import Change, service_request_transition


@dataclass(frozen=True)
class BulkResult:
    done: list[ServiceRequest]
    refused: list[tuple[ServiceRequest, str]]  # each with the reason, to show the person


def service_requests_bulk(
    *, targets: Sequence[tuple[ServiceRequest, events.Actor]], action: Action, change: Change
) -> BulkResult:
    """Take `action` on each request as its actor. Each request is its own transaction: one refusal
    (a request someone else just finished, a category that needs a photo) does not undo the others.
    """
    done: list[ServiceRequest] = []
    refused: list[tuple[ServiceRequest, str]] = []
    for service_request, actor in targets:
        try:
            service_request_transition(service_request=service_request, action=action, actor=actor, change=change)
        except DomainError as error:
            refused.append((service_request, error.message))
        else:
            done.append(service_request)
    return BulkResult(done=done, refused=refused)
