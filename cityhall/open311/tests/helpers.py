"""Checking Open311 responses against the checked-in contract (cityhall/open311/contract/), and test set-up.

JSON bodies are validated with jsonschema against our own schema (`cityhall.schema.json`) and, where
one exists, the Open311 community's (`georeport-v2/`). XML bodies are checked against
`xml-shapes.json`, then turned into Python data by the Spark convention (a container becomes a list,
an element with children a dict, an empty element None) and compared with the JSON answer to the
same request.
"""

from __future__ import annotations

import io
import json
import re
import sys
import threading
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

from django.conf import settings
from django.core import signals
from django.db import close_old_connections, connection
from django.urls import include, path
from django.views.static import serve
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from cityhall.core import clock
from cityhall.geo.cells import cell_of
from cityhall.partners.models import ApiKey, IdempotentWrite
from cityhall.requests import services
from cityhall.requests.models import Attachment, Channel, RequestEvent, ServiceRequest, Support
from cityhall.requests.tests.builders import CITY_HALL, submit

CONTRACT = Path(__file__).resolve().parents[1] / "contract"
BASE = "/open311/v2/"
FORMATS = ("json", "xml")
JURISDICTION_ID = "smgov.net"
SHAPES: dict[str, Any] = json.loads((CONTRACT / "xml-shapes.json").read_text())
CONTAINERS: dict[str, str] = SHAPES["containers"]

# What each kind of response is checked against: (our $def, the community schema or None, the XML document).
KINDS = {
    "discovery": ("discovery", None, "discovery"),
    "services": ("services", "services.json", "services"),
    "service_definition": ("service_definition", "service-definition.json", "service_definition"),
    "post_result": ("post_result", None, "post_result"),
    "tokens": ("tokens", None, "tokens"),
    "requests": ("requests", "requests.json", "requests"),
    "requests_extended": ("requestsExtended", "requests.json", "requests_extended"),
    "request_one": ("request_one", "requests.json", "requests"),
    "request_one_extended": ("requestsExtended", "requests.json", "requests_extended"),
    "request_updates": ("request_updates", None, "request_updates"),
    "update_post_result": ("update_post_result", None, "update_post_result"),
    "errors": ("errors", None, "errors"),
}

# Every value a reporter gives that must never come back from a GET.
PRIVATE = {
    "email": "zq.privacy.probe@example.org",
    "first_name": "Zebulonia",
    "last_name": "Quixotewright",
    "phone": "+1-310-555-0199",
    "device_id": "device-7f3a9c2e5b",
    "account_id": "acct-4d2b8e71c0",
}

# ---------------------------------------------------------------- JSON Schema

W3C = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
FORMAT_CHECKER = FormatChecker(formats=())


@FORMAT_CHECKER.checks("date-time")
def _is_w3c_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not W3C.fullmatch(value):
        return False
    datetime.fromisoformat(value.replace("Z", "+00:00"))  # raises (and so fails) on 2026-13-45
    return True


@FORMAT_CHECKER.checks("uri")
def _is_absolute_http_url(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not any(c.isspace() for c in value)


@cache
def _registry() -> Registry:
    files = [CONTRACT / "cityhall.schema.json", *sorted((CONTRACT / "georeport-v2").glob("*.json"))]
    resources = [
        (file.as_uri(), Resource.from_contents(json.loads(file.read_text()), default_specification=DRAFT202012))
        for file in files
        if file.name != "swagger.json"
    ]
    return Registry().with_resources(resources)


@cache
def validator(ref: str) -> Draft202012Validator:
    """`ref` is a file in the contract folder, with an optional #fragment."""
    file, _, fragment = ref.partition("#")
    uri = (CONTRACT / file).as_uri() + (f"#{fragment}" if fragment else "")
    return Draft202012Validator({"$ref": uri}, registry=_registry(), format_checker=FORMAT_CHECKER)


def assert_schema(data: Any, ref: str) -> None:
    errors = sorted(validator(ref).iter_errors(data), key=lambda error: list(error.absolute_path))
    assert not errors, "\n".join(
        f"{ref} at {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:300]}" for e in errors[:8]
    )


def assert_no_empty_strings(data: Any, where: str = "$") -> None:
    """Missing values are null, never "" (the Spark convention: an empty element is null)."""
    if isinstance(data, dict):
        for key, value in data.items():
            assert_no_empty_strings(value, f"{where}.{key}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            assert_no_empty_strings(value, f"{where}[{index}]")
    else:
        assert data != "", f"{where} is an empty string; a missing value must be null"


# ---------------------------------------------------------------- responses


def describe(response: Any) -> str:
    """The response as a client sees it, for assertion messages."""
    body = response.content[:600].decode("utf-8", "replace")
    return f"HTTP {response.status_code} {response.get('Content-Type')}: {body}"


def looks_like_html(response: Any) -> bool:
    start = response.content.lstrip()[:100].lower()
    return response.get("Content-Type", "").startswith("text/html") or start.startswith((b"<!doctype", b"<html"))


def json_body(response: Any, kind: str) -> Any:
    ours, community, _document = KINDS[kind]
    content_type = response.get("Content-Type", "").lower().replace(" ", "")
    assert content_type == "application/json;charset=utf-8", describe(response)
    data = json.loads(response.content.decode("utf-8"))
    assert_schema(data, f"cityhall.schema.json#/$defs/{ours}")
    if community:
        assert_schema(data, f"georeport-v2/{community}")
    assert_no_empty_strings(data)
    return data


def parse_xml(response: Any) -> ET.Element:
    """Well-formed UTF-8 XML with the exact declaration, no namespace and no XML attributes."""
    content_type = response.get("Content-Type", "").lower().replace(" ", "")
    assert content_type == "text/xml;charset=utf-8", describe(response)
    assert response.content.startswith(SHAPES["declaration"].encode()), describe(response)
    assert b"xmlns" not in response.content, describe(response)
    try:
        root = ET.fromstring(response.content)
    except ET.ParseError as error:
        raise AssertionError(f"not well-formed XML ({error}): {describe(response)}") from None
    for element in root.iter():
        assert "{" not in element.tag and not element.attrib, (
            f"<{element.tag} {element.attrib}> in {describe(response)}"
        )
    return root


def _check_shape(element: ET.Element, document: dict[str, Any], where: str) -> None:
    here = f"{where}/{element.tag}"
    children = list(element)
    if element.tag in CONTAINERS:
        item = CONTAINERS[element.tag]
        assert all(child.tag == item for child in children), (
            f"{here} may only hold <{item}>: {[c.tag for c in children]}"
        )
    elif element.tag in document["elements"]:
        spec = document["elements"][element.tag]
        names = [child.tag for child in children]
        allowed = set(spec["required"]) | set(spec.get("optional", ()))
        assert len(names) == len(set(names)), f"{here} repeats an element: {names}"
        assert not set(names) - allowed, f"{here} has unexpected {sorted(set(names) - allowed)}"
        assert not set(spec["required"]) - set(names), f"{here} lacks {sorted(set(spec['required']) - set(names))}"
    else:
        assert not children, f"{here} should be a leaf but holds {[c.tag for c in children]}"
        return
    assert not (element.text or "").strip(), f"{here} mixes text with elements"
    for child in children:
        _check_shape(child, document, here)


def spark(element: ET.Element) -> Any:
    """XML → the JSON-equivalent structure (the Spark convention)."""
    if element.tag in CONTAINERS:
        return [spark(child) for child in element]
    if len(element):
        return {child.tag: spark(child) for child in element}
    return element.text


def xml_body(response: Any, kind: str) -> Any:
    document = SHAPES["documents"][KINDS[kind][2]]
    root = parse_xml(response)
    assert root.tag == document["root"], f"root <{root.tag}>, expected <{document['root']}>: {describe(response)}"
    _check_shape(root, document, "")
    return spark(root)


def assert_same(xml: Any, data: Any, where: str = "$") -> None:
    """The XML (after `spark`) says the same as the JSON: same keys, same values as text."""
    if isinstance(data, dict):
        assert isinstance(xml, dict), f"{where}: XML has {xml!r}, JSON an object"
        assert set(xml) == set(data), (
            f"{where}: XML-only {sorted(set(xml) - set(data))}, JSON-only {sorted(set(data) - set(xml))}"
        )
        for key, value in data.items():
            assert_same(xml[key], value, f"{where}.{key}")
    elif isinstance(data, list):
        assert isinstance(xml, list) and len(xml) == len(data), f"{where}: XML {xml!r} vs JSON {data!r}"
        for index, (left, right) in enumerate(zip(xml, data, strict=True)):
            assert_same(left, right, f"{where}[{index}]")
    elif data is None:
        assert xml in (None, []), f"{where}: XML {xml!r}, JSON null"
    elif isinstance(data, bool):
        assert xml == ("true" if data else "false"), f"{where}: XML {xml!r}, JSON {data!r}"
    elif isinstance(data, int | float):
        assert xml is not None and float(xml) == float(data), f"{where}: XML {xml!r}, JSON {data!r}"
    else:
        assert (xml or "") == data, f"{where}: XML {xml!r}, JSON {data!r}"


# ---------------------------------------------------------------- the production entry point


class Answer:
    """What `config.wsgi.application` answered, shaped like a test-client response for the checks above."""

    def __init__(self, status: str, headers: list[tuple[str, str]], content: bytes) -> None:
        self.status_code = int(status.split(" ", 1)[0])
        self.headers: dict[str, str] = {}
        for name, value in headers:
            known = self.headers.get(name.lower())
            self.headers[name.lower()] = f"{known}, {value}" if known else value
        self.content = content

    def get(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)


def call_wsgi(
    path: str,
    query: str = "",
    *,
    method: str = "GET",
    body: bytes = b"",
    content_type: str | None = None,
    environ: dict[str, str] | None = None,
) -> Answer:
    """A request through the production WSGI application (the short Open311 chain), as gunicorn makes it.

    `path` is percent-encoded as on the request line; gunicorn hands the application the decoded bytes
    as a latin-1 string, and the query string as sent. `environ` adds or overrides WSGI variables
    (headers as HTTP_*, or CONTENT_LENGTH).
    """
    from config.wsgi import application

    variables: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "RAW_URI": f"{path}?{query}" if query else path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "SERVER_PROTOCOL": "HTTP/1.1",
        **({"CONTENT_TYPE": content_type} if content_type is not None else {}),
        **(environ or {}),
    }
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> None:
        answer["status"], answer["headers"] = status, headers

    # As Django's test client does: the request signals would close the test's connection (and its transaction).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        result = application(variables, start_response)
        try:
            content = b"".join(result)
        finally:
            result.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return Answer(answer["status"], answer["headers"], content)


def get_both(client: Any, resource: str, kind: str, params: dict[str, Any] | None = None) -> Any:
    """GET `resource` as .json and .xml: both 200, both match the contract, both say the same. Returns the JSON."""
    answers = {fmt: client.get(f"{BASE}{resource}.{fmt}", params or {}) for fmt in FORMATS}
    for response in answers.values():
        assert response.status_code == 200, describe(response)
    data = json_body(answers["json"], kind)
    assert_same(xml_body(answers["xml"], kind), data)
    return data


def body(response: Any, kind: str, fmt: str) -> Any:
    return json_body(response, kind) if fmt == "json" else xml_body(response, kind)


def assert_error(response: Any, status: int, fmt: str) -> list[str]:
    """An Open311 error list in the URL's format, with this HTTP status (also its `code`); never HTML."""
    assert not looks_like_html(response), describe(response)
    assert response.status_code == status, describe(response)
    errors = body(response, "errors", fmt)
    assert all(str(error["code"]) == str(status) for error in errors), describe(response)
    return [error["description"] for error in errors]


# ---------------------------------------------------------------- set-up


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")  # datetimes are aware and in UTC (clock.now())


def window(before: timedelta = timedelta(hours=1), after: timedelta = timedelta(hours=1)) -> dict[str, str]:
    """start_date/end_date around now."""
    now = clock.now()
    return {"start_date": stamp(now - before), "end_date": stamp(now + after)}


def make_key(name: str = "partner", **fields: Any) -> str:
    row = ApiKey(name=name, **fields)
    raw = row.issue()
    row.save()
    return raw


def sent_by(service: Any, partner: str = "partner", **kwargs: Any) -> ServiceRequest:
    """A request as the partner's key submitted it through Open311 (update-own lets it update these)."""
    return submit(service, channel=Channel.OPEN311, client=services.ClientInfo(api_client=partner), **kwargs)


def report(**fields: Any) -> dict[str, Any]:
    """A valid pothole report at City Hall; `fields` override or add (a None value removes a field)."""
    form = {
        "service_code": "potholes",
        "lat": str(CITY_HALL[0]),
        "long": str(CITY_HALL[1]),
        "description": "A pothole in the bike lane",
        "attribute[SIZE]": "M",
    }
    form.update(fields)
    return {key: value for key, value in form.items() if value is not None}


def created_id(response: Any, fmt: str = "json") -> str:
    assert response.status_code == 200, describe(response)
    (item,) = body(response, "post_result", fmt)
    assert item.get("service_request_id"), describe(response)
    return str(item["service_request_id"])


def snapshot() -> dict[str, int]:
    media = Path(settings.MEDIA_ROOT)
    return {
        "requests": ServiceRequest.objects.count(),
        "events": RequestEvent.objects.count(),
        "attachments": Attachment.objects.count(),
        "supports": Support.objects.count(),
        "idempotency keys": IdempotentWrite.objects.count(),
        "media files": sum(1 for item in media.rglob("*") if item.is_file()) if media.exists() else 0,
    }


@contextmanager
def nothing_written() -> Iterator[None]:
    before = snapshot()
    yield
    assert snapshot() == before


def bulk_requests(service: Any, count: int, *, newest: datetime | None = None) -> list[ServiceRequest]:
    """`count` requests stored directly (one INSERT), one second apart, newest first.

    Their 9-digit ids never clash with the 8-digit ones submit() draws.
    """
    newest = newest or clock.now()
    rows = []
    for index in range(count):
        at = newest - timedelta(seconds=index)
        rows.append(
            ServiceRequest(
                jurisdiction=service.jurisdiction,
                public_id=str(100_000_000 + index),
                tracking_token=uuid.uuid4().hex,
                service=service,
                description=f"Bulk report {index}",
                lat=CITY_HALL[0],
                lng=CITY_HALL[1],
                cell=cell_of(*CITY_HALL),
                requested_at=at,
                updated_at=at,
            )
        )
    return ServiceRequest.objects.bulk_create(rows)


def at_once(count: int, work: Callable[[], None]) -> None:
    """Run `work` in `count` threads released together (each with its own database connection)."""
    start = threading.Barrier(count)

    def run() -> None:
        try:
            start.wait()
            work()
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def media_path(url: str) -> str:
    parts = urlsplit(url)
    assert parts.scheme in ("http", "https") and parts.netloc, url
    assert parts.path.startswith(settings.MEDIA_URL), url
    return parts.path


def _media(request: Any, path: str) -> Any:
    return serve(request, path, document_root=settings.MEDIA_ROOT)


# config.urls binds /media/ to MEDIA_ROOT when first imported, but each test gets its own MEDIA_ROOT;
# tests that fetch photos use these routes (pytest.mark.urls) so /media/ follows the live setting.
urlpatterns = [path("media/<path:path>", _media), path("", include("config.urls"))]
