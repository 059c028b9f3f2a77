"""The shapes of the JSON API, from which django-ninja writes the OpenAPI schema and checks input.

Text that goes into the database is `Text`: any string but one holding NUL or a lone surrogate, which
no column can store (PostgreSQL refuses both). Lengths and formats are not repeated here: the submit
and transition services check every field against cityhall/requests/bounds.py and the answer names
each field at fault.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, Field

from cityhall.applications.models import Status as ApplicationStatusModel
from cityhall.applications.models import StepStatus
from cityhall.applications.selectors import PARTNER_EVENT_KINDS
from cityhall.core import clock
from cityhall.partners.webhooks.events import EventType as WebhookEventType
from cityhall.requests.workflow import RULES, Action, Role, Status


def storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text (no lone surrogates)") from None
    return value


Text = Annotated[str, AfterValidator(storable)]


# RFC 3339's date-time (section 5.6), which the schema's `format: date-time` names. Pydantic alone also
# reads seconds since 1970 ("0"), a space for the T, a time without seconds and an offset without its
# colon: answered as if valid, they broke the schema's word (since=0&until=1 read a window of 1970).
RFC3339_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})"
)


def rfc3339(value: object) -> object:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not RFC3339_DATE_TIME.fullmatch(value):
        raise ValueError("must be an RFC 3339 date-time with its offset, e.g. 2026-11-21T17:48:00Z")
    return value


def within_years(moment: datetime) -> datetime:
    first, last = clock.CLIENT_YEARS
    if not first <= moment.year <= last:
        raise ValueError(f"must fall in the years {first} to {last}")
    return moment


# A moment a client sends: RFC 3339 with its offset, in years a database stores.
Moment = Annotated[AwareDatetime, BeforeValidator(rfc3339), AfterValidator(within_years)]
# A request's public id or a category's code, as they appear in paths.
IDENTIFIER = r"^[A-Za-z0-9._-]{1,64}$"

# The actions a partner's key can ever take (the workflow's `partner` role); whether it may take one on
# a given request now is `actions` on that request.
PartnerAction = StrEnum(  # type: ignore[misc]  # built from the workflow table, so the schema follows it
    "PartnerAction",
    {
        action.name: action.value
        for action in Action
        if any(Role.PARTNER in rule.roles and rule.action is action for rule in RULES)
    },
)


class Out(BaseModel):
    """An answer's shape. Plain pydantic, not ninja's Schema: the views hand it dicts, and Schema's
    validator (which reads ORM objects attribute by attribute) was a third of a page's time."""


class Choice(Out):
    key: str
    name: str


class Question(Out):
    code: str
    question: str
    datatype: str
    required: bool
    choices: list[Choice]


class ServiceOut(Out):
    code: str
    name: str
    description: str | None
    group: str | None
    has_questions: bool


class ServiceDetail(ServiceOut):
    questions: list[Question]


class RequestOut(Out):
    id: str = Field(description="The request's public id.")
    service_code: str
    service_name: str
    department: str | None
    status: Status
    resolution: str | None
    status_note: str | None = Field(description="The latest public note.")
    description: str | None
    address: str | None
    zipcode: str | None
    lat: float | None
    long: float | None
    channel: str
    supporters: int
    duplicate_of: str | None
    requested_at: datetime
    updated_at: datetime
    expected_at: datetime | None


class RequestDetail(RequestOut):
    actions: list[PartnerAction] = Field(description="What this key may do to this request now (POST …/actions).")


class RequestPage(Out):
    items: list[RequestOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class Contact(Schema):
    """The reporter's contact details: for the city's staff only, never shown to any partner."""

    name: Text = ""
    email: Text = ""
    phone: Text = ""


class NewRequest(Schema):
    service_code: Text
    lat: float | None = Field(None, allow_inf_nan=False)
    long: float | None = Field(None, allow_inf_nan=False)
    address: Text = ""
    address_id: Text = ""
    zipcode: Text = ""
    location_description: Text = ""
    description: Text = ""
    attributes: dict[Text, Text | list[Text]] = Field(
        default_factory=dict, description="Answers to the category's questions, by question code."
    )
    contact: Contact = Field(default_factory=Contact)
    media_url: Text = ""


class ActionIn(Schema):
    action: PartnerAction
    note: Text = Field("", description="A public note: required to comment, optional to confirm.")
    reason: Text = Field("", description="Why it is reopened.")


class EventOut(Out):
    id: int
    at: datetime
    kind: str
    action: str | None
    status: Status | None = Field(description="The status it led to, when it changed the status.")
    note: str | None


class FieldError(Out):
    field: str
    message: str


class ProblemOut(Out):
    """RFC 9457 problem details, sent as application/problem+json."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldError] | None = None


# Every operation may answer these; the schema says so, so contract tests hold the answers to it.
REFUSALS: dict[int, type[ProblemOut]] = {code: ProblemOut for code in (400, 401, 403, 404, 422, 429, 503)}
WRITE_REFUSALS: dict[int, type[ProblemOut]] = {**REFUSALS, 409: ProblemOut}


class WebhookIn(Schema):
    url: Text = Field(description="Where deliveries are POSTed: https:// (or http://), resolving to public addresses.")
    event_types: list[WebhookEventType] = Field(min_length=1, max_length=len(WebhookEventType))
    service_codes: list[Text] = Field([], max_length=100, description="Only these categories; none means all.")
    zones: list[Text] = Field([], max_length=100, description="Only requests in these zones (slugs); none means all.")
    application_services: list[Text] = Field(
        [], max_length=100, description="Application events: only these digital services (codes); none means all."
    )
    description: Text = Field("", max_length=200)


class WebhookOut(Out):
    id: int
    url: str
    event_types: list[str]
    service_codes: list[str]
    zones: list[str]
    application_services: list[str]
    description: str
    created_at: datetime
    paused: bool = Field(description="Paused after repeated failures: nothing is sent until the city resumes it.")


class WebhookCreated(WebhookOut):
    secret: str = Field(description="The signing secret (whsec_…): shown in this answer only, never again.")


class DeviceOut(Out):
    id: str = Field(description="The device's id, as in its SenML names and MQTT topics.")
    kind: str = Field(description="litter_bin, streetlight, water or noise.")
    lat: float
    lon: float
    department: str = Field(description="The slug of the department that looks after the device.")
    service_code: str = Field(description="The category of the requests it raises.")
    last_seen_at: datetime | None
    active: bool = Field(description="False once its credential is revoked (or before one is issued).")
    revoked_at: datetime | None


class DevicePage(Out):
    items: list[DeviceOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class ReadingOut(Out):
    at: datetime
    measure: str = Field(description="The SenML name, e.g. fill (docs/devices.md).")
    value: float
    unit: str


class ReadingPage(Out):
    items: list[ReadingOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


# An application's statuses under a name of their own: the schema's components are named after their
# enums, and the model's `Status` would take the place of the requests' one.
ApplicationStatus = StrEnum(  # type: ignore[misc]  # built from the model's choices, so the schema follows them
    "ApplicationStatus", {status.name: status.value for status in ApplicationStatusModel}
)


class StepOut(Out):
    position: int = Field(description="The step's place in the application's review, from 0.")
    name: str = Field(description="The step's name, in the language asked.")
    department: str = Field(description="The slug of the department that decides it.")
    stage: int = Field(description="Steps of one stage run in parallel; stages in ascending order.")
    status: StepStatus
    due_at: datetime | None
    decided_at: datetime | None


class DecisionDocument(Out):
    number: str = Field(description="The signed decision's number.")
    verify_url: str = Field(description="Where anyone can check the document (/verify/<number>).")


class ApplicationOut(Out):
    reference: str = Field(description="The application's reference (eight digits).")
    service_code: str = Field(description="The digital service's code.")
    service_name: str
    status: ApplicationStatus
    channel: str = Field(description="web or paper.")
    submitted_at: datetime
    decided_at: datetime | None
    updated_at: datetime
    steps: list[StepOut]
    conditions: list[str] = Field(description="The conditions of an approval, in step order.")
    document: DecisionDocument | None = Field(description="The signed decision, once issued.")


class ApplicationPage(Out):
    items: list[ApplicationOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class ApplicationEventOut(Out):
    id: int
    at: datetime
    kind: str = Field(description=f"One of {', '.join(PARTNER_EVENT_KINDS)}.")
    status_from: ApplicationStatus | None
    status_to: ApplicationStatus | None
    step: int | None = Field(description="The position of the step it concerns.")
    department: str | None = Field(description="The slug of that step's department.")
