"""GeoReport v2 endpoints. Thin: parse, call the domain, render. Every failure is an Open311 error."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import unquote_to_bytes
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt

from cityhall.catalogue.models import Jurisdiction
from cityhall.catalogue.selectors import (
    cached_jurisdiction_for,
    listed_services,
    service_for,
    service_with_questions,
    services_changed_at,
)
from cityhall.core import clock
from cityhall.core.errors import DomainError, NotFound, TransitionRefused, ValidationFailed
from cityhall.core.media_urls import media_url_maker
from cityhall.core.ttl_cache import TtlCache
from cityhall.requests import selectors

from . import params, serialize
from .errors import Open311Error, error_response, format_of
from .middleware import is_api_path
from .render import CONTENT_TYPES, respond
from .submit import handle_post_request, handle_post_update

log = logging.getLogger(__name__)
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
View = Callable[..., HttpResponse]


def open311(*methods: str) -> Callable[[View], View]:
    """Wraps a view: allowed methods, and every refusal rendered as an Open311 error in the URL's format."""

    def wrap(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                response = error_response(fmt, 405, f"Use {' or '.join(methods)} here.")
                response["Allow"] = ", ".join(methods)
                return response
            try:
                _refuse_bad_utf8(request)
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as error:
                return error_response(fmt, error.status, error.description, code=error.code)
            except ValidationFailed as error:
                return error_response(fmt, 400, [f"{field}: {text}" for field, text in error.errors.items()])
            except NotFound as error:
                return error_response(fmt, 404, error.message)
            except TransitionRefused as error:
                return error_response(fmt, 400, error.message)
            except DomainError as error:
                return error_response(fmt, error.status, error.message)
            except RequestDataTooBig:
                return error_response(fmt, 400, "The request body is too large.")
            except (SuspiciousOperation, BadRequest, MultiPartParserError) as error:
                return error_response(fmt, 400, f"The request could not be read: {error or 'malformed body'}.")
            except UnicodeDecodeError:
                return error_response(fmt, 400, "The request is not valid UTF-8.")

        return csrf_exempt(wrapped)

    return wrap


_LENGTH = re.compile(r"[0-9]+")


def _refuse_bad_utf8(request: HttpRequest) -> None:
    """Open311 is UTF-8 in and out; Django would quietly decode other bytes into something else.

    No text column can hold NUL (PostgreSQL refuses it even in a query's parameters), so a NUL in
    the path (a service code, request id or token), the query or the form is refused here.
    """
    if "\x00" in request.path:
        raise Open311Error(400, "The path contains a NUL character, which no code, id or token may hold.")
    # Django reads a Content-Length that is not a number as 0 for the form, but `request.body` then
    # raises ValueError (a 500). gunicorn refuses such a header itself; another server may not.
    if not _LENGTH.fullmatch(request.META.get("CONTENT_LENGTH") or "0"):
        raise Open311Error(400, "Content-Length must be a whole number of bytes.")
    query = request.META.get("QUERY_STRING", "")
    raw = query.encode("latin-1") if max(map(ord, query), default=0) < 256 else query.encode()
    encoded = [raw]
    if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
        encoded.append(request.body)
    for data in encoded:
        try:
            text = unquote_to_bytes(data.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            raise Open311Error(400, "The request is not valid UTF-8.") from None
        if "\x00" in text:
            raise Open311Error(400, "The request contains a NUL character, which no field may hold.")


def jurisdiction_of(request: HttpRequest) -> Jurisdiction:
    return cached_jurisdiction_for(params.either(request, "jurisdiction_id") or None)


def zone_of(jurisdiction: Jurisdiction) -> ZoneInfo:
    return ZoneInfo(jurisdiction.timezone)


@open311("GET", "HEAD")
def discovery(request: HttpRequest, *, fmt: str) -> HttpResponse:
    changeset = services_changed_at() or clock.now()
    stamp = changeset.isoformat(timespec="seconds")
    body = {
        "changeset": stamp,
        "contact": settings.DEFAULT_FROM_EMAIL,
        "key_service": "Ask the city's 311 team for an API key (issued in the CityHall admin).",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": request.build_absolute_uri("/open311/v2"),
                "changeset": stamp,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(fmt, "discovery", body)


# The service list is the most requested and least changing resource: rendered at most every few
# seconds per process, so an admin's edit shows within SERVICE_LIST_SECONDS.
SERVICE_LIST_SECONDS = 10
service_lists: TtlCache[bytes] = TtlCache(seconds=SERVICE_LIST_SECONDS)


@open311("GET", "HEAD")
def services(request: HttpRequest, *, fmt: str) -> HttpResponse:
    jurisdiction = jurisdiction_of(request)

    def render() -> bytes:
        rows = listed_services(jurisdiction)
        return respond(fmt, "services", [serialize.service(item) for item in rows]).content

    # Names and descriptions are in the client's language (Accept-Language; English when it asks none).
    key = (jurisdiction.pk, fmt, translation.get_language())
    return HttpResponse(service_lists.get(key, render), content_type=CONTENT_TYPES[fmt])


@open311("GET", "HEAD")
def service_definition(request: HttpRequest, code: str, *, fmt: str) -> HttpResponse:
    item = service_for(jurisdiction_of(request), code, include_private=False)
    item = service_with_questions(item.pk)
    return respond(fmt, "service_definition", serialize.definition(item))


@open311("GET", "HEAD", "POST")
def requests(request: HttpRequest, *, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return handle_post_request(request, jurisdiction_of(request), fmt)
    jurisdiction = jurisdiction_of(request)
    zone = zone_of(jurisdiction)
    query = params.request_query(request.GET, zone, clock.now())
    where = selectors.PublicFilter(
        ids=query.ids,
        service_codes=query.service_codes,
        open311_statuses=query.statuses,
        requested_from=query.start,
        requested_to=query.end,
        updated_after=query.updated_after,
        updated_before=query.updated_before,
        bbox=query.bbox,
        near=query.near,
        text=query.text,
    )
    offset = (query.page - 1) * query.page_size
    if query.extensions:
        rows = selectors.public_request_rows(
            jurisdiction.pk, where, offset=offset, limit=query.page_size, extended=True, seconds=True
        )
        return respond(fmt, "service_requests", _render_requests(request, rows, zone, True))
    # Without extensions an item is its row alone: each comes made, remembered across polls (RowShape).
    shape = _row_shape(request, zone, serialize.request)
    items = selectors.public_request_rows(
        jurisdiction.pk, where, offset=offset, limit=query.page_size, seconds=True, shape=shape
    )
    return respond(fmt, "service_requests", items)


@open311("GET", "HEAD")
def request_detail(request: HttpRequest, request_id: str, *, fmt: str) -> HttpResponse:
    jurisdiction = jurisdiction_of(request)
    rows = selectors.public_request_rows(
        jurisdiction.pk, selectors.PublicFilter(ids=[request_id]), offset=0, limit=1, extended=True, seconds=True
    )
    if not rows:
        raise NotFound(f"There is no request {request_id}.")
    extensions = params.value(request.GET, "extensions").lower() == "true"
    return respond(fmt, "service_requests", _render_requests(request, rows, zone_of(jurisdiction), extensions))


def _row_shape(
    request: HttpRequest, zone: ZoneInfo, make: Callable[[dict[str, Any], ZoneInfo, serialize.Url], Any]
) -> selectors.RowShape:
    """Rows made into Open311 items by `make`, which besides the row reads only the city's time zone and
    the host photo addresses are given on: with `make` itself, the rest of what each item is remembered under."""
    url = media_url_maker(request)
    return selectors.RowShape((make, zone.key, url("")), lambda row: make(row, zone, url))


def _render_requests(request: HttpRequest, rows: list[dict[str, Any]], zone: ZoneInfo, extensions: bool) -> list[Any]:
    url = media_url_maker(request)
    if not extensions:
        return [serialize.request(row, zone, url) for row in rows]
    ids = [row["id"] for row in rows]
    photos = selectors.public_photos(ids) if ids else {}
    events = selectors.public_events(ids) if ids else {}
    return [serialize.request(row, zone, url, photos.get(row["id"], []), events.get(row["id"], [])) for row in rows]


@open311("GET", "HEAD")
def token(request: HttpRequest, token: str, *, fmt: str) -> HttpResponse:
    jurisdiction = jurisdiction_of(request)
    found = selectors.public_id_for_batch_token(jurisdiction.pk, token)
    if found is None:
        raise NotFound(f"There is no request for token {token}.")
    return respond(fmt, "service_requests", [{"service_request_id": found, "token": token}])


@open311("GET", "HEAD", "POST")
def updates(request: HttpRequest, *, fmt: str) -> HttpResponse:
    jurisdiction = jurisdiction_of(request)
    if request.method == "POST":
        return handle_post_update(request, jurisdiction, fmt)
    zone = zone_of(jurisdiction)
    now = clock.now()
    start, end = params.value(request.GET, "start_date"), params.value(request.GET, "end_date")
    since = params.parse_datetime(start, "start_date", zone) if start else now - timedelta(hours=2)
    until = params.parse_datetime(end, "end_date", zone) if end else now
    if until < since:
        raise Open311Error(400, "end_date is before start_date.")
    if until - since > params.MAX_SPAN:
        raise Open311Error(400, "start_date and end_date may not be more than 90 days apart.")
    shape = _row_shape(request, zone, serialize.update)
    body = selectors.public_updates(jurisdiction.pk, since=since, until=until, seconds=True, shape=shape)
    return respond(fmt, "service_request_updates", body)


@csrf_exempt
def unknown(request: HttpRequest) -> HttpResponse:
    """Anything else under the base: a 404 in the format the URL asked for, never an HTML page."""
    return error_response(format_of(request.path), 404, f"There is no Open311 resource at {request.path}.")


# What Django's own error views say when an exception escapes a view or a middleware.
ESCAPED = {
    400: "The request could not be read.",
    403: "This request is not allowed.",
    500: "The server failed to answer this request; the failure has been logged.",
}


def error_view(status: int, site_view: View) -> View:
    """One of Django's error views (handler400/403/404/500) for the whole site: under the Open311
    base an Open311 error in the URL's format, as everything there answers; elsewhere `site_view`."""

    def view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
        if not is_api_path(request.path):
            return site_view(request) if status == 500 else site_view(request, exception)
        if status == 404:
            return unknown(request)
        return error_response(format_of(request.path), status, ESCAPED[status])

    return view
