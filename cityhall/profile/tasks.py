"""Retention: the periodic task that anonymises closed requests once the city's period has passed."""

from __future__ import annotations

from django_tasks import task

from cityhall.requests.services import service_requests_anonymise_expired

from .outbox import forget_addresses

BATCH = 500


@task()
def anonymise_expired_requests() -> int:
    """Idempotent: an anonymised request holds nothing personal, so a second run finds nothing to do.

    Lives with the profile (not in requests/tasks.py) because it also clears the notifications
    outbox for those requests, which the request domain may not import.
    """
    anonymised = service_requests_anonymise_expired()
    for start in range(0, len(anonymised), BATCH):
        forget_addresses((), request_ids=anonymised[start : start + BATCH])
    return len(anonymised)
