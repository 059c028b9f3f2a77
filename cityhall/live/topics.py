"""Topics a page can listen to, and the signed token that names them in a stream address.

A token is signed, not encrypted: it lists topics, never data. Signing stops a page from
listening to a staff queue its viewer was never shown (the pings carry only event ids, but
even the rhythm of a queue is the city's business).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core import signing

from cityhall.requests.workflow import Status

_SALT = "cityhall.live.topics"
TRIAGE = "queue:triage"


def request_topic(public_id: str) -> str:
    return f"request:{public_id}"


def triage_topic() -> str:
    return TRIAGE


def department_topic(department_id: int) -> str:
    return f"queue:department:{department_id}"


def application_topic(reference: str) -> str:
    return f"application:{reference}"


def applications_queue_topic(department_id: int) -> str:
    """A department's queue of application review steps (and its supervisor's SLA board)."""
    return f"queue:applications:{department_id}"


APPLICATION_PREFIXES = ("application:", "queue:applications:")


def is_application_topic(topic: str) -> bool:
    """Topics of applications are read from the applications' events, all others from the requests'."""
    return topic.startswith(APPLICATION_PREFIXES)


def application_topics_of(reference: str, department_ids: Iterable[int]) -> tuple[str, ...]:
    """Every topic an event on this application changes: its page, and the queue of each department with a step."""
    return (application_topic(reference), *(applications_queue_topic(pk) for pk in department_ids))


def topics_of(
    public_id: str, department_id: int | None, status: str, from_status: str, to_status: str
) -> tuple[str, ...]:
    """Every topic an event on this request changes: its page, its department's queue, triage.

    The department is the request's department now: its queue must hear of a request arriving in it.
    """
    topics = [request_topic(public_id)]
    if department_id is not None:
        topics.append(department_topic(department_id))
    if Status.SUBMITTED in (status, from_status, to_status):
        topics.append(TRIAGE)  # it arrived in triage, changed there, or just left it
    return tuple(topics)


def sign(topics: Iterable[str]) -> str:
    return signing.dumps(sorted(set(topics)), salt=_SALT, compress=True)


def unsign(token: str) -> frozenset[str]:
    """The topics a token names; BadSignature when it was not made here."""
    topics = signing.loads(token, salt=_SALT)
    if not isinstance(topics, list) or not all(isinstance(topic, str) for topic in topics):
        raise signing.BadSignature("not a list of topics")
    return frozenset(topics)
