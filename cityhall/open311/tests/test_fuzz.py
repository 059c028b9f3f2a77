"""The Open311 fuzz suite: every endpoint, both formats, through the production WSGI entry point.

Malformed dates, numbers, lengths, encodings, methods, content types and paths. Whatever arrives,
the answer is never a 5xx, never HTML, always in the format the URL asked for (an Open311 error
list when refused), and a refused request writes nothing.

Deterministic and bounded for CI: every test runs the `FUZZ` settings (derandomized, no example
database, a fixed number of examples). Each call runs in a savepoint that is rolled back
afterwards, so one case's accepted POST never changes the next case's world.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import quote

import pytest
from django.core import signals
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cityhall.requests.models import ServiceRequest
from cityhall.requests.tests.builders import CITY_HALL, submit

from .helpers import FORMATS, Answer, call_wsgi, describe, looks_like_html, parse_xml, snapshot
from .helpers import body as contract_body

pytestmark = pytest.mark.django_db

FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=100,
    print_blob=True,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],  # no "explain": it reruns a failure hundreds of times
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

BASE = "/open311/v2/"
METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "get"]
FORM = "application/x-www-form-urlencoded"

# The GeoReport resources (cityhall/open311/urls.py, docs/open311.md) and the parameters each reads.
DATES = ["start_date", "end_date", "updated_after", "updated_before"]
NUMBERS = ["lat", "long", "radius", "page", "page_size", "count"]
LIST_PARAMETERS = [*DATES, *NUMBERS, "service_request_id", "service_code", "status", "bbox", "q", "extensions"]
RESOURCES: dict[str, tuple[str, list[str]]] = {
    "discovery": ("discovery", []),
    "services": ("services", []),
    "service": ("services/{}", []),
    "service (singular)": ("service/{}", []),
    "requests": ("requests", LIST_PARAMETERS),
    "request": ("requests/{}", ["extensions"]),
    "token": ("tokens/{}", []),
    "updates": ("servicerequestupdates", ["start_date", "end_date"]),
}
EVERYWHERE = ["jurisdiction_id", "api_key"]
# Fields that go into bounded columns: finding 1 of issue 18, checked by its own test below.
CONTACT_FIELDS = [
    "address_string",
    "address_id",
    "email",
    "phone",
    "first_name",
    "last_name",
    "device_id",
    "account_id",
]
POST_FIELDS = ["service_code", "lat", "long", "description", "attribute[SIZE]", "attribute[SIZE][]", "media_url"]

# ---------------------------------------------------------------- values

odd_numbers = st.one_of(
    st.sampled_from(
        [
            *["NaN", "nan", "-NaN", "inf", "-inf", "Infinity", "1e309", "-1e309", "1e-400", "9" * 400, "-" + "9" * 400],
            *["0x1A", "0b101", "0o17", "1_000", "1,5", "1.2.3", "--1", "+-1", "1e", "e1", ".", "+", "-", "", " "],
            *["١٢", "１２", "߁", "½", "Ⅻ", "𝟙", "-0", "0", "00000000000000000001", "1" + "0" * 30, "2147483648"],
            *["34.0115", "-118.4917", "1000", "1001", "-1", "0.5", "1e3", " 7 ", "\t3", "3\n", "3\x00"],
        ]
    ),
    st.integers().map(str),
    st.floats().map(repr),
    st.text(alphabet=st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=12),
)

offsets = st.sampled_from(["Z", "+00:00", "-08:00", "+05:45", "+14:00", "-12:00", "+25:00", "+0800", " 08:00", ""])
ordinary_moments = st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(3000, 1, 1))
odd_dates = st.one_of(
    st.sampled_from(
        [
            *["yesterday", "2026-13-45", "2026-02-30", "2026-01-01T25:00:00Z", "2026-01-01T10:00:00+25:00", "NaN"],
            *[
                "1e9",
                "2026-1-1",
                "2026-01-01T10:00:00.1234567890123Z",
                "2026-01-01 10:00",
                "２０２６-01-01",
                "-2026-01-01",
            ],
            *["+12026-01-01", "20260101T100000Z", "0000-00-00", "2026-W01-1", "2026-001", "2026-01-01T10:00:00+08:00x"],
            *["2026-03-08T02:30:00", "2026-11-01T01:30:00", "T", "Z", "2026-01-01T", "2026-01-01TZ"],
        ]
    ),
    st.builds(lambda moment, offset: moment.isoformat() + offset, ordinary_moments, offsets),
    st.builds(lambda moment: moment.date().isoformat(), ordinary_moments),
    st.text(alphabet="0123456789-:TZ+. ", max_size=30),
)

some_odd_text = st.one_of(
    st.text(min_size=1, max_size=40),
    st.sampled_from(
        [
            *[" ", "\x00", "a\x00b", "\n", "\r\n", "\t", "\x1b[31m", "\u202e", "\ufeff", "\ufffd", "\uffff"],
            *["<script>alert(1)</script>", "]]>", "&#0;", "{{7*7}}", "' OR 1=1 --", "%s%n", "../../etc/passwd"],
            *["null", "None", "true", "[]", "{}", "potholes", "open", "closed", "open,closed", "smgov.net"],
        ]
    ),
    st.builds(
        lambda char, size: char * size,
        st.sampled_from(["a", "é", "😀", "\x00", "1", "%", ","]),
        st.sampled_from([300, 5000, 70000]),
    ),
)
odd_text = st.one_of(st.just(""), some_odd_text)

# Percent-encodings no text encodes to: bytes that are not UTF-8, NUL and control characters, and
# broken escapes. Inserted into a query string or form body as they are.
raw_fragments = st.sampled_from(
    [
        *["%FF", "%C0%AF", "%ED%A0%80", "%F4%90%80%80", "%E2%82", "%80", "%", "%G1", "%%", "%0", "%00", "%0A"],
        *["%0D%0A", "%7F", "%1B", "%E2%80%AE", "%EF%BF%BF", "+", "%2B14:00", "&", "=", ";", "\xff", "é", "#"],
    ]
)


def encoded(values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Values percent-encoded as a client would, sometimes with raw fragments mixed in."""
    plain = values.map(lambda text: quote(text, safe=""))
    mixed = st.lists(st.one_of(plain, raw_fragments), min_size=1, max_size=4).map("".join)
    return st.one_of(plain, plain, mixed)


def values_for(name: str) -> st.SearchStrategy[str]:
    if name in DATES:
        return encoded(odd_dates)
    if name in NUMBERS:
        return encoded(odd_numbers)
    if name == "bbox":
        return encoded(st.lists(odd_numbers, min_size=1, max_size=5).map(",".join))
    return encoded(odd_text)


odd_names = encoded(some_odd_text)


@st.composite
def queries(draw: st.DrawFn, names: list[str]) -> str:
    """A query string: known parameters with odd values (some repeated), now and then an odd name."""
    pairs = []
    for _ in range(draw(st.integers(0, 5))):
        name = draw(st.sampled_from(names)) if names and draw(st.integers(0, 5)) else draw(odd_names)
        pairs.append(f"{name}={draw(values_for(name))}")
    return "&".join(pairs)


path_segments = st.one_of(
    st.sampled_from(["potholes", "graffiti-public-property", "12345678", "0", "-1", "..", ".", "%2E%2E", "%2F"]),
    encoded(some_odd_text),
    st.lists(raw_fragments, min_size=1, max_size=3).map("".join),
)


# ---------------------------------------------------------------- calling and checking


class Caller:
    """Calls the WSGI application and checks every answer; rolls each call's writes back."""

    def __init__(self) -> None:
        self.crashes: list[BaseException] = []

    def __call__(
        self,
        method: str,
        path: str,
        query: str = "",
        *,
        body: bytes = b"",
        content_type: str | None = None,
        environ: dict[str, str] | None = None,
        accepted: Callable[[Answer], None] | None = None,
    ) -> Answer:
        """`accepted` checks what a 200 answer stored, before it is rolled back."""
        self.crashes.clear()
        savepoint = transaction.savepoint()
        try:
            before = snapshot()
            answer = call_wsgi(path, query, method=method, body=body, content_type=content_type, environ=environ)
            after = snapshot()
            if accepted and answer.status_code == 200:
                accepted(answer)
        finally:
            transaction.savepoint_rollback(savepoint)
        where = f"{method} {path}?{query[:300]} {environ} [{content_type}] {body[:300]!r}\n{describe(answer)}"
        assert answer.status_code < 500, f"{where}\ncrash: {self.crashes[:1]!r}"
        fmt = "json" if path.rstrip("/").endswith(".json") else "xml"
        assert not looks_like_html(answer), where
        if answer.status_code == 200:
            if fmt == "json":
                json_of(answer, where)
            else:
                parse_xml(answer)
        else:
            assert_open311_error(answer, fmt, where)
        if answer.status_code != 200 or method.upper() != "POST":
            assert after == before, f"{where}\nwrote {before} -> {after}"
        return answer


def json_of(answer: Answer, where: str) -> Any:
    assert answer.get("Content-Type").lower().replace(" ", "") == "application/json;charset=utf-8", where
    return json.loads(answer.content)


def assert_open311_error(answer: Answer, fmt: str, where: str) -> None:
    """The contract's error list (JSON Schema or XML shape), its codes the HTTP status."""
    errors = contract_body(answer, "errors", fmt)
    assert errors and all(str(error["code"]) == str(answer.status_code) for error in errors), where


@pytest.fixture
def fuzz(santa_monica) -> Iterator[Caller]:
    caller = Caller()

    def remember(sender: Any, request: Any = None, **kwargs: Any) -> None:
        caller.crashes.append(sys.exc_info()[1])  # type: ignore[arg-type]

    signals.got_request_exception.connect(remember)
    try:
        yield caller
    finally:
        signals.got_request_exception.disconnect(remember)


@pytest.fixture
def open_request(santa_monica, service) -> str:
    return submit(service("potholes")).public_id


def resource_path(template: str, segment: str, fmt: str) -> str:
    return f"{BASE}{template.format(segment)}.{fmt}"


# ---------------------------------------------------------------- GET: parameters


@settings(FUZZ, max_examples=150)
@given(
    resource=st.sampled_from(sorted(RESOURCES)),
    fmt=st.sampled_from(FORMATS),
    method=st.sampled_from(["GET", "HEAD"]),
    segment=st.one_of(st.just("potholes"), path_segments),
    host=st.sampled_from(["testserver"] * 5 + ["", "evil.example", "bad host!", "testserver:99999", "[::1", "é"]),
    data=st.data(),
)
def test_every_get_parameter_malformed(fuzz, resource, fmt, method, segment, host, data):
    template, names = RESOURCES[resource]
    query = data.draw(queries([*names, *EVERYWHERE]), label="query")
    fuzz(method, resource_path(template, segment, fmt), query, environ={"HTTP_HOST": host})


# ---------------------------------------------------------------- paths and methods


@settings(FUZZ, max_examples=100)
@given(
    method=st.sampled_from(METHODS),
    prefix=st.sampled_from(["/open311/", "/open311/v2/", "/open311/v2/requests/", "/open311/v1/", "//open311//v2//"]),
    segments=st.lists(path_segments, min_size=0, max_size=3),
    suffix=st.sampled_from(["", ".json", ".xml", ".JSON", ".json/", "/", ".json%0A", ".xml%00", "%0A.json"]),
)
def test_every_path_under_the_base_answers_in_its_format(fuzz, method, prefix, segments, suffix):
    fuzz(method, prefix + "/".join(segments) + suffix)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_on_every_endpoint(fuzz, method):
    for template, _names in RESOURCES.values():
        for fmt in FORMATS:
            fuzz(method, resource_path(template, "potholes", fmt))


# ---------------------------------------------------------------- POST: bodies and fields


def multipart(fields: list[tuple[str, bytes, str | None]], boundary: str = "fuzzboundary") -> bytes:
    """A multipart body; a part with a filename is a file."""
    out = []
    for name, value, filename in fields:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename is not None else "")
        out.append(f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + value + b"\r\n")
    return b"".join(out) + f"--{boundary}--\r\n".encode()


def form_body(form: dict[str, str]) -> bytes:
    return "&".join(f"{quote(k, safe='[]')}={quote(v, safe='')}" for k, v in form.items()).encode()


def valid_report(key: str) -> dict[str, str]:
    return {
        "api_key": key,
        "service_code": "potholes",
        "lat": str(CITY_HALL[0]),
        "long": str(CITY_HALL[1]),
        "attribute[SIZE]": "M",
        "description": "A pothole",
    }


@st.composite
def bodies(draw: st.DrawFn, form: dict[str, str]) -> tuple[bytes, str | None]:
    """A body of some content type around `form`: well made, garbled, or claiming to be what it is not."""
    kind = draw(
        st.sampled_from(["form", "raw form", "multipart", "broken multipart", "json", "xml", "garbage", "none"])
    )
    garbage = draw(st.one_of(st.binary(max_size=300), st.sampled_from([b"\xff\xfe\x00", b"{", b"--x\r\n", b"a=%"])))
    if kind == "form":
        charset = draw(st.sampled_from(["", "; charset=utf-8", "; charset=latin-1", "; charset=utf-16", "; charset=x"]))
        return form_body(form), FORM + charset
    if kind == "raw form":
        extra = draw(st.lists(st.tuples(odd_names, encoded(odd_text)), max_size=3))
        return (form_body(form).decode() + "".join(f"&{k}={v}" for k, v in extra)).encode("latin-1", "replace"), FORM
    if kind == "multipart":
        parts: list[tuple[str, bytes, str | None]] = [
            (k, v.encode("utf-8", "surrogatepass"), None) for k, v in form.items()
        ]
        name = draw(st.sampled_from(["media", "media[]", "photo1", "file_x", "other"]))
        filename = draw(st.sampled_from(["p.jpg", "", "../../x.jpg", "a\x00.jpg", "é.heic", "x" * 300]))
        parts.append((name, garbage, filename))
        return multipart(parts), "multipart/form-data; boundary=fuzzboundary"
    if kind == "broken multipart":
        # Garbage, then a well-made body cut short, under a missing, empty, right or huge boundary.
        boundary = draw(st.sampled_from(["", "; boundary=", "; boundary=fuzzboundary", "; boundary=" + "b" * 5000]))
        cut = multipart([(k, v.encode(), None) for k, v in form.items()])[: len(garbage)]
        return garbage + cut, "multipart/form-data" + boundary
    if kind == "json":
        return json.dumps(form).encode(), "application/json"
    if kind == "xml":
        return b"<?xml version='1.0'?><request><service_code>potholes</service_code></request>", "text/xml"
    if kind == "garbage":
        return garbage, draw(st.sampled_from(["text/plain", "", "////", "application/octet-stream", "x/y; z"]))
    return b"", None


def post_path(resource: str, fmt: str) -> str:
    return f"{BASE}{resource}.{fmt}"


@settings(FUZZ, max_examples=120)
@given(resource=st.sampled_from(["requests", "servicerequestupdates"]), fmt=st.sampled_from(FORMATS), data=st.data())
def test_post_bodies_of_every_content_type(fuzz, key, open_request, resource, fmt, data):
    form = valid_report(key) if resource == "requests" else {"api_key": key, "service_request_id": open_request}
    body, content_type = data.draw(bodies(form), label="body")
    length = data.draw(st.sampled_from([str(len(body))] * 4 + ["", "abc", "-5", "1e3", "99999999999999999999"]))
    fuzz("POST", post_path(resource, fmt), body=body, content_type=content_type, environ={"CONTENT_LENGTH": length})


@st.composite
def overridden(draw: st.DrawFn, form: dict[str, str], fields: list[str]) -> bytes:
    """`form`, url-encoded, with some of `fields` set to odd values (raw encodings included)."""
    names = draw(st.lists(st.sampled_from(fields), min_size=1, max_size=3, unique=True))
    changes = {name: draw(values_for(name)) for name in names}
    kept = [f"{quote(k, safe='[]')}={quote(v, safe='')}" for k, v in form.items() if k not in changes]
    return "&".join([*kept, *(f"{quote(k, safe='[]')}={v}" for k, v in changes.items())]).encode("latin-1")


@settings(FUZZ, max_examples=120)
@given(fmt=st.sampled_from(FORMATS), data=st.data())
def test_post_request_fields_malformed(fuzz, key, fmt, data):
    fields = [*POST_FIELDS, "attribute[OTHER]", "attribute[]", "attribute[SIZE", "jurisdiction_id", "api_key"]
    body = data.draw(overridden(valid_report(key), fields), label="body")
    fuzz("POST", post_path("requests", fmt), body=body, content_type=FORM)


@settings(FUZZ, max_examples=100)
@given(fmt=st.sampled_from(FORMATS), data=st.data())
def test_post_update_fields_malformed(fuzz, key, open_request, fmt, data):
    form = {"api_key": key, "service_request_id": open_request, "status": "OPEN", "description": "Still there"}
    fields = ["service_request_id", "status", "description", "update_id", "media_url", "jurisdiction_id", "api_key"]
    body = data.draw(overridden(form, fields), label="body")
    fuzz("POST", post_path("servicerequestupdates", fmt), body=body, content_type=FORM)


@settings(FUZZ, max_examples=80)
@given(fmt=st.sampled_from(FORMATS), data=st.data())
def test_post_contact_fields_malformed(fuzz, key, fmt, data):
    """Issue 18, finding 1: unbounded contact fields (a DataError on PostgreSQL) must be refused with a 400;
    what is accepted fits its column (SQLite would store any length)."""
    body = data.draw(overridden(valid_report(key), CONTACT_FIELDS), label="body")
    fuzz("POST", post_path("requests", fmt), body=body, content_type=FORM, accepted=fits_its_columns)


def fits_its_columns(answer: Answer) -> None:
    text = answer.content.decode()
    stored = next(row for row in ServiceRequest.objects.order_by("-pk")[:1] if row.public_id in text)
    for field in ServiceRequest._meta.concrete_fields:
        value = getattr(stored, field.attname)
        if field.max_length and isinstance(value, str):
            assert len(value) <= field.max_length, f"{field.name} stored {len(value)} characters: {describe(answer)}"


# ---------------------------------------------------------------- extreme dates


extreme_moments = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)),
    st.sampled_from([datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59, 59), datetime(1, 1, 2), datetime(9999, 12, 30)]),
)


@settings(FUZZ, max_examples=80)
@given(
    resource=st.sampled_from(["requests", "servicerequestupdates"]),
    fmt=st.sampled_from(FORMATS),
    names=st.lists(st.sampled_from(DATES), min_size=1, max_size=2, unique=True),
    moment=extreme_moments,
    offset=st.sampled_from(["Z", "+14:00", "-12:00", "+00:00", ""]),
)
def test_extreme_dates(fuzz, resource, fmt, names, moment, offset):
    """Issue 18, finding 2: the first and last representable moments (an OverflowError) must be refused with a 400."""
    stamp = quote(moment.isoformat() + offset, safe="")
    fuzz("GET", f"{BASE}{resource}.{fmt}", "&".join(f"{name}={stamp}" for name in names))
