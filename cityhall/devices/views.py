"""HTTP ingest: POST /devices/v1/senml, a SenML JSON pack, the device's credential as a bearer token.

Answers 202 with how many readings were stored, or an RFC 9457 problem detail naming the reason.
"""

from __future__ import annotations

from http import HTTPStatus

import orjson
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from cityhall.core import clock
from cityhall.core.problem_details import Problem
from cityhall.core.problem_details import response as problem_response

from .access import CredentialRefused, device_for_credential
from .senml import MAX_BYTES, Reason, Rejected
from .services import device_ingest

CONTENT_TYPES = ("application/senml+json", "application/json")
STATUS = {
    Reason.MALFORMED: HTTPStatus.BAD_REQUEST,
    Reason.UNKNOWN: HTTPStatus.UNPROCESSABLE_ENTITY,
    Reason.OUT_OF_RANGE: HTTPStatus.UNPROCESSABLE_ENTITY,
    Reason.REPLAYED: HTTPStatus.CONFLICT,
    Reason.RATE_LIMITED: HTTPStatus.TOO_MANY_REQUESTS,
}


@csrf_exempt
def senml_ingest(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        answer = problem(request, HTTPStatus.METHOD_NOT_ALLOWED, "method", "Send readings with POST.")
        answer["Allow"] = "POST"
        return answer
    scheme, _, credential = request.headers.get("Authorization", "").partition(" ")
    try:
        device = device_for_credential(credential if scheme.lower() == "bearer" else "")
    except CredentialRefused as refused:
        detail = f"The device credential is {refused.refusal.value}: send “Authorization: Bearer <credential>”."
        return problem(request, HTTPStatus.UNAUTHORIZED, f"device-credential-{refused.refusal.value}", detail)
    if request.content_type not in CONTENT_TYPES:
        return problem(request, HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "malformed", "Send application/senml+json.")
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BYTES:
        return problem(request, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "malformed", f"At most {MAX_BYTES} bytes.")
    try:
        readings = device_ingest(device=device, body=request.body)
    except Rejected as rejected:
        headers = (
            {"Retry-After": str(max(1, 60 - clock.now().second))} if rejected.reason is Reason.RATE_LIMITED else {}
        )
        return problem(request, STATUS[rejected.reason], rejected.reason.value, rejected.detail, headers)
    return HttpResponse(orjson.dumps({"stored": len(readings)}), status=202, content_type="application/json")


def problem(
    request: HttpRequest, status: HTTPStatus, code: str, detail: str, headers: dict[str, str] | None = None
) -> HttpResponse:
    """The refusal as a problem detail (RFC 9457), typed `device-<code>` (docs/devices.md)."""
    return problem_response(
        request, Problem(int(status), detail, code=f"device-{code.removeprefix('device-')}", headers=headers)
    )


@csrf_exempt
def unknown(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address under /devices/: a problem detail too, never an HTML page."""
    return problem(request, HTTPStatus.NOT_FOUND, "not-found", "Devices send readings to /devices/v1/senml.")
