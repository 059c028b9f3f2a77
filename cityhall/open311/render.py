"""Open311 bodies in XML and JSON from the same Python structures (the Spark convention).

A list becomes an XML container of repeated items (`ITEM_TAGS` names them) and a JSON array;
`None` becomes an empty element and `null`; booleans are `true`/`false` in both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

import orjson
from django.http import HttpResponse

XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
    "notes": "note",
    "photos": "photo",
}
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}


# XML 1.0 cannot carry these control characters at all; a parser would reject the whole document.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# A parser turns a literal CR (and CRLF) into LF; as a character reference it comes back as sent.
_ENTITIES = {"\r": "&#13;"}


def _text(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return escape(_NOT_XML.sub("\ufffd", str(value)), _ENTITIES)


def _element(tag: str, value: Any, out: list[str]) -> None:
    if value is None or value == "":
        out.append(f"<{tag}/>")
    elif isinstance(value, Mapping):
        out.append(f"<{tag}>")
        for key, child in value.items():
            _element(key, child, out)
        out.append(f"</{tag}>")
    elif isinstance(value, list | tuple):
        item = ITEM_TAGS.get(tag, "item")
        out.append(f"<{tag}>")
        for child in value:
            _element(item, child, out)
        out.append(f"</{tag}>")
    else:
        out.append(f"<{tag}>{_text(value)}</{tag}>")


def to_xml(root: str, body: Mapping[str, Any] | Sequence[Any]) -> bytes:
    """`root` is the document element; a sequence body is its list of items."""
    out = [XML_DECLARATION]
    if isinstance(body, Mapping):
        _element(root, body, out)
    elif not body:
        out.append(f"<{root}/>")
    else:
        _element(root, list(body), out)
    return "".join(out).encode()


def to_json(body: Mapping[str, Any] | Sequence[Any]) -> bytes:
    return orjson.dumps(body)


def respond(fmt: str, root: str, body: Mapping[str, Any] | Sequence[Any], *, status: int = 200) -> HttpResponse:
    content = to_json(body) if fmt == "json" else to_xml(root, body)
    return HttpResponse(content, status=status, content_type=CONTENT_TYPES[fmt])
