"""POST requests and POST servicerequestupdates: reading a partner's form into the domain services."""

from __future__ import annotations

import secrets
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict

from cityhall.catalogue.models import Jurisdiction, Service
from cityhall.catalogue.selectors import service_for
from cityhall.core.errors import ValidationFailed
from cityhall.partners.models import ApiKey
from cityhall.requests import access, bounds, services
from cityhall.requests.models import Channel, ServiceRequest
from cityhall.requests.workflow import Action, Status

from . import idempotency, params
from .errors import Open311Error
from .keys import authorise_post
from .render import respond

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# The submit service knows one name; Open311 sends it in two parts.
OPEN311_NAMES = {"name": "first_name/last_name"}
# File parts real clients send: `three` uses `media`, the v2.1 draft `media[]`, FixMyStreet `photo1…N`
# and `file_<name>`.
FILE_PREFIXES = ("media", "photo", "file_")


def _check_form(request: HttpRequest) -> None:
    content_type = request.content_type or ""
    if content_type not in FORM_TYPES:
        raise Open311Error(400, "Send the form as application/x-www-form-urlencoded or multipart/form-data.")
    # Multipart fields are decoded by Django; check what it made of them.
    for name, values in request.POST.lists():
        if any("\x00" in item for item in [name, *values]):
            raise Open311Error(400, f"{name} contains a NUL character, which no field may hold.")
        if any("\ufffd" in item for item in values):
            raise Open311Error(400, f"{name} is not valid UTF-8.")


def _attributes(form: Any) -> dict[str, list[str]]:
    """attribute[C]=v, attribute[C][]=v and repeated attribute[C]=v, all into {C: [v, …]}."""
    answers: dict[str, list[str]] = {}
    for key in form:
        if key.startswith("attribute[") and "]" in key:
            code = key[len("attribute[") : key.index("]")]
            answers.setdefault(code, []).extend(v for v in form.getlist(key) if v.strip())
    return answers


def _files(files: MultiValueDict[str, Any]) -> list[Any]:
    return [upload for key in files for upload in files.getlist(key) if key.startswith(FILE_PREFIXES)]


def handle_post_request(request: HttpRequest, jurisdiction: Jurisdiction, fmt: str) -> HttpResponse:
    _check_form(request)
    key = authorise_post(params.either(request, "api_key"), jurisdiction)
    access.partner_may_submit(key.partner)
    token = idempotency.token_of(request)
    return idempotency.once(request, key, token, lambda: _create_request(request, jurisdiction, fmt, key))


def _create_request(request: HttpRequest, jurisdiction: Jurisdiction, fmt: str, key: ApiKey) -> HttpResponse:
    form = request.POST
    item: Service = service_for(jurisdiction, params.value(form, "service_code"), include_private=True)
    description = form.get("description", "")
    if "\ufffd" in description:
        raise Open311Error(400, "description is not valid UTF-8.")
    lat = params.parse_float(form, "lat", -90, 90)
    lng = params.parse_float(form, "long", -180, 180)
    answers = _attributes(form)
    name = " ".join(part for part in (params.value(form, "first_name"), params.value(form, "last_name")) if part)
    batch = item.type == Service.Type.BATCH
    try:
        created = services.service_request_submit(
            service=item,
            location=services.Location(
                lat=lat,
                lng=lng,
                address=params.value(form, "address_string"),
                address_id=params.value(form, "address_id"),
            ),
            description=description,
            attributes=answers,
            contact=services.Contact(name=name, email=params.value(form, "email"), phone=params.value(form, "phone")),
            channel=Channel.OPEN311,
            photos_in=_files(request.FILES),
            media_url=params.value(form, "media_url"),
            client=services.ClientInfo(
                api_client=key.name,
                device_id=params.value(form, "device_id"),
                account_id=params.value(form, "account_id"),
                batch_token=secrets.token_hex(12) if batch else "",
            ),
        )
    except ValidationFailed as refused:
        raise ValidationFailed(
            {OPEN311_NAMES.get(field, field): text for field, text in refused.errors.items()}
        ) from None
    account_id = params.value(form, "account_id") or None
    if batch:
        return respond(fmt, "service_requests", [{"token": created.batch_token}])
    notice = _notice(created)
    return respond(
        fmt,
        "service_requests",
        [{"service_request_id": created.public_id, "service_notice": notice, "account_id": account_id}],
    )


def _notice(created: ServiceRequest) -> str | None:
    if created.expected_at is None:
        return None
    local = created.expected_at.astimezone(ZoneInfo(created.jurisdiction.timezone))
    return f"Expected by {local.isoformat(timespec='minutes')}."


# FixMyStreet relays what the reporter said on its site: "fixed" confirms a resolved request,
# "open" on a finished one reopens it; anything else is a public note. Verified closure stays
# with the city: a partner cannot resolve an open request.
REOPEN_WORDS = {"OPEN", "REOPEN", "REOPENED", "IN_PROGRESS", "INVESTIGATING"}
FIXED_WORDS = {"FIXED", "CLOSED", "RESOLVED"}


def handle_post_update(request: HttpRequest, jurisdiction: Jurisdiction, fmt: str) -> HttpResponse:
    _check_form(request)
    key = authorise_post(params.either(request, "api_key"), jurisdiction)
    token = idempotency.token_of(request, update_id=params.value(request.POST, "update_id"))
    return idempotency.once(request, key, token, lambda: _post_update(request, jurisdiction, fmt, key))


def _post_update(request: HttpRequest, jurisdiction: Jurisdiction, fmt: str, key: ApiKey) -> HttpResponse:
    form = request.POST
    public_id = params.value(form, "service_request_id")
    if not public_id:
        raise Open311Error(400, "service_request_id is required.")
    target, actor = access.request_for_partner(public_id, partner=key.partner, jurisdiction_id=jurisdiction.pk)
    word = params.value(form, "status").upper().replace(" ", "_")
    note = form.get("description", "").strip()
    too_long = bounds.check({"description": note})
    if too_long:
        raise ValidationFailed(too_long)
    status = Status(target.status)
    if word in FIXED_WORDS and status is Status.RESOLVED:
        action, change = Action.CONFIRM, services.Change(public_note=note)
    elif word in REOPEN_WORDS and status in (Status.RESOLVED, Status.CLOSED):
        action, change = Action.REOPEN, services.Change(reason=note or f"Reopened through {key.name}.")
    elif note:
        action, change = Action.COMMENT, services.Change(public_note=note)
    else:
        raise Open311Error(400, "Nothing to update: send a description, or a status that changes the request.")
    event = services.service_request_transition(service_request=target, action=action, actor=actor, change=change)
    update_id = params.value(form, "update_id") or None
    return respond(fmt, "service_request_updates", [{"update_id": str(event.pk), "client_update_id": update_id}])
