"""/resource/<dataset-id>.<json|csv|geojson>: a SoQL query over one dataset, or a Socrata-shaped error.

Every answer is data: a refused query is a 400 `{"error": true, "code": …, "message": …}` naming
the token and where it is, an unknown dataset or format a 404 in the same shape, a query that ran
past the time limit a 503 saying so. Never HTML, never a 500 for anything a client can send.
"""

from __future__ import annotations

import orjson
from django.http import HttpRequest, HttpResponse

from cityhall.opendata.registry import UnknownDataset, dataset
from cityhall.opendata.soql import SoqlError
from cityhall.opendata.soql.errors import TIMEOUT

from .render import CONTENT_TYPES, RENDERERS
from .run import QueryTimeout, answer, timeout_ms


def error(status: int, code: str, message: str, **data: object) -> HttpResponse:
    body = {"error": True, "code": code, "message": message, "data": data}
    return HttpResponse(orjson.dumps(body), status=status, content_type=CONTENT_TYPES["json"])


def resource(request: HttpRequest, dataset_id: str, fmt: str = "json") -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        response = error(405, "method.unsupported", "The query API is read-only: use GET.")
        response["Allow"] = "GET, HEAD"
        return response
    try:
        chosen = dataset(dataset_id)
    except UnknownDataset:
        return error(404, "not_found", f"No dataset with id {dataset_id[:40]!r}; see /data.json for the list.")
    if fmt not in RENDERERS:
        return error(406, "format.unsupported", f"No format {fmt[:20]!r}; ask for .json, .csv or .geojson.")
    try:
        found = answer(chosen, request.GET.dict())
    except SoqlError as refused:
        return refusal(refused)
    except QueryTimeout:
        return timeout_error()
    return RENDERERS[fmt](found)


def refusal(refused: SoqlError) -> HttpResponse:
    return error(400, refused.code, refused.message, parameter=refused.parameter, position=refused.position)


def timeout_error() -> HttpResponse:
    response = error(
        503,
        TIMEOUT,
        f"The query ran longer than the time limit of {timeout_ms():,} ms and was stopped; "
        "narrow it with $where or $limit.",
    )
    response["Retry-After"] = "30"
    return response


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address under /resource/: a 404 a client can read."""
    return error(404, "not_found", "Ask for /resource/<dataset-id>.json, .csv or .geojson; see /data.json for the ids.")
