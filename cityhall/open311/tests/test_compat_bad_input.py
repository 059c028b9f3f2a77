"""Bad input: every refusal is an Open311 error with the right status, in the URL's format, never HTML,
and writes nothing (no request, event, photo row or file)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path, re_path

from cityhall.core import clock
from cityhall.requests.tests.builders import CITY_HALL, submit
from config import urls as config_urls

from .helpers import (
    BASE,
    FORMATS,
    assert_error,
    body,
    call_wsgi,
    describe,
    looks_like_html,
    nothing_written,
    parse_xml,
    report,
    snapshot,
)

pytestmark = pytest.mark.django_db
FORM = "application/x-www-form-urlencoded"
STAMP = "%Y-%m-%dT%H:%M:%SZ"


def refused_get(client, params, fmt="json", status=400, resource="requests"):
    return assert_error(client.get(f"{BASE}{resource}.{fmt}", params), status, fmt)


def refused_post(client, form, fmt="json", status=400, **extra):
    with nothing_written():
        return assert_error(client.post(f"{BASE}requests.{fmt}", form, **extra), status, fmt)


BAD_DATES = ["yesterday", "2026-13-45", "2026-02-30", "2026-01-01T25:00:00Z", "2026-01-01T10:00:00+25:00", "NaN", "1e9"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("value", BAD_DATES)
def test_malformed_dates(client, santa_monica, fmt, value):
    for name in ("start_date", "end_date", "updated_after", "updated_before"):
        descriptions = refused_get(client, {name: value}, fmt)
        assert name in " ".join(descriptions), descriptions
    assert "start_date" in " ".join(refused_get(client, {"start_date": value}, fmt, resource="servicerequestupdates"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_reversed_and_too_long_date_ranges(client, santa_monica, fmt):
    now = clock.now()
    refused_get(client, {"start_date": now.strftime(STAMP), "end_date": (now - timedelta(days=1)).strftime(STAMP)}, fmt)
    refused_get(
        client, {"start_date": (now - timedelta(days=91)).strftime(STAMP), "end_date": now.strftime(STAMP)}, fmt
    )
    exactly_90 = {"start_date": (now - timedelta(days=90)).strftime(STAMP), "end_date": now.strftime(STAMP)}
    assert client.get(f"{BASE}requests.{fmt}", exactly_90).status_code == 200


BAD_NUMBERS = ["0", "-1", "-50", "ten", "1.5", "1e3", "0x10", "99999999999999999999"]
BAD_PAGING = [(name, value) for name in ("page_size", "count") for value in [*BAD_NUMBERS, "1001"]]


@pytest.mark.parametrize(("name", "value"), [*BAD_PAGING, *(("page", value) for value in BAD_NUMBERS)])
def test_bad_page_and_page_size(client, santa_monica, name, value):
    assert name in " ".join(refused_get(client, {name: value}))


@pytest.mark.parametrize(
    ("lat", "long"),
    [
        ("NaN", "-118.49"),
        ("34.01", "nan"),
        ("inf", "-118.49"),
        ("34.01", "-inf"),
        ("91", "-118.49"),
        ("-90.0001", "-118.49"),
        ("34.01", "181"),
        ("34.01", "-180.5"),
        ("1e999", "-118.49"),
        ("34.01abc", "-118.49"),
        ("34,01", "-118,49"),
    ],
)
def test_nan_and_out_of_range_coordinates(client, key, lat, long):
    refused_post(client, report(api_key=key, lat=lat, long=long))
    refused_get(client, {"lat": lat, "long": long})


def test_one_megabyte_description(client, key):
    for fmt in FORMATS:
        refused_post(client, report(api_key=key, description="x" * 1_000_000), fmt)
        refused_post(client, {**report(api_key=key, description="y" * 1_000_000), "media": b""}, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_attribute_codes(client, key, fmt):
    descriptions = refused_post(client, report(api_key=key, **{"attribute[COLOUR]": "red"}), fmt)
    assert "COLOUR" in " ".join(descriptions)
    refused_post(client, report(api_key=key, **{"attribute[HAZARDS][]": "LAVA"}), fmt)


def test_repeated_parameters_with_different_values(client, key):
    pairs = [*report(api_key=key).items(), ("service_code", "graffiti-public-property")]
    refused_post(client, urlencode(pairs), content_type=FORM)
    pairs = [*report(api_key=key).items(), ("lat", "34.02")]
    refused_post(client, urlencode(pairs), content_type=FORM)
    now = clock.now()
    for name, first, second in [
        ("start_date", (now - timedelta(days=1)).strftime(STAMP), (now - timedelta(days=2)).strftime(STAMP)),
        ("page_size", "5", "10"),
        ("jurisdiction_id", "smgov.net", "elsewhere.gov"),
    ]:
        response = client.get(f"{BASE}requests.json?{urlencode([(name, first), (name, second)])}")
        assert_error(response, 400, "json")


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/json", "application/xml", "multipart/form-data", ""]
)
def test_wrong_content_type(client, key, content_type):
    payload = urlencode(report()) if content_type != "application/json" else '{"service_code": "potholes"}'
    for fmt in FORMATS:
        refused_post(client, payload, fmt, content_type=content_type, QUERY_STRING=f"api_key={key}")


@pytest.mark.parametrize(
    "name", ["q", "service_code", "service_request_id", "start_date", "status", "bbox", "jurisdiction_id"]
)
def test_non_utf8_bytes_in_the_query(client, santa_monica, name):
    for fmt in FORMATS:
        assert_error(client.get(f"{BASE}requests.{fmt}?{name}=%FF%FEabc"), 400, fmt)
        assert_error(client.get(f"{BASE}requests.{fmt}?{name}=%C3%28"), 400, fmt)


@pytest.mark.parametrize("bytes_are", ["percent-encoded", "raw"])
@pytest.mark.parametrize("field", ["description", "service_code", "address_string", "attribute[SIZE]", "email"])
def test_non_utf8_bytes_in_the_body(client, key, field, bytes_are):
    form = urlencode(report(api_key=key, **{field: "placeholder"}))
    if bytes_are == "raw":
        refused_post(client, form.encode().replace(b"placeholder", b"\xff\xfe\xc3("), content_type=FORM)
    else:
        refused_post(client, form.replace("placeholder", "%FF%FE%C3%28"), content_type=FORM)


@pytest.mark.parametrize("character", ["\x00", "\x0b", "\x1b", "\ufffe"])
def test_characters_xml_cannot_carry_are_refused_or_left_out(client, key, character):
    """A description XML 1.0 cannot represent must not break XML clients (nor the database: NUL on PostgreSQL)."""
    form = report(api_key=key, description=f"Bad{character}byte")
    response = client.post(f"{BASE}requests.json", form)
    if response.status_code == 400:
        with nothing_written():
            assert_error(client.post(f"{BASE}requests.json", form), 400, "json")
        return
    assert response.status_code == 200, describe(response)
    public_id = response.json()[0]["service_request_id"]
    (item,) = body(client.get(f"{BASE}requests/{public_id}.xml"), "request_one", "xml")
    assert item["description"].startswith("Bad") and item["description"].endswith("byte")
    parse_xml(client.get(f"{BASE}requests.xml", {"extensions": "true"}))


def test_bad_media(client, key):
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4 not a photo", "application/pdf")
    refused_post(client, {**report(api_key=key), "media": pdf})
    text = SimpleUploadedFile("photo.jpg", b"just text", "image/jpeg")
    refused_post(client, {**report(api_key=key), "photo1": text})
    for url in ("javascript:alert(1)", "not a url", "ftp://example.org/p.jpg", "https://" + "a" * 1000 + ".org/p.jpg"):
        refused_post(client, report(api_key=key, media_url=url))


def test_inactive_and_private_services(client, key, santa_monica):
    from cityhall.catalogue.models import Service

    inactive = Service.objects.filter(jurisdiction=santa_monica, active=False).values_list("code", flat=True).first()
    with nothing_written():
        response = client.post(f"{BASE}requests.json", report(api_key=key, service_code=inactive))
        assert response.status_code in (400, 404), describe(response)
        assert_error(response, response.status_code, "json")
    private = Service.objects.filter(jurisdiction=santa_monica, is_private=True).values_list("code", flat=True).first()
    assert_error(client.get(f"{BASE}services/{private}.json"), 404, "json")


@pytest.mark.parametrize(
    "route", ["requests.json/", "requests.JSON", "requests.json.xml", "services/.json", "requests/.xml"]
)
def test_odd_routes(client, santa_monica, route):
    response = client.get(f"{BASE}{route}")
    fmt = "json" if route.rstrip("/").endswith(".json") else "xml"
    assert response.status_code in (400, 404), describe(response)
    assert_error(response, response.status_code, fmt)


def test_a_refused_post_leaves_no_photo_behind(client, key, service):
    from cityhall.requests.tests.builders import DOWNTOWN_LA, jpeg_with_gps

    submit(service("potholes"), at=CITY_HALL)
    photo = SimpleUploadedFile("p.jpg", jpeg_with_gps(), "image/jpeg")
    form = {**report(api_key=key, lat=str(DOWNTOWN_LA[0]), long=str(DOWNTOWN_LA[1])), "media": photo}
    refused_post(client, form)


NUL_CASES = {
    "POST requests description": ("post", "requests", "description"),
    "POST requests address_string": ("post", "requests", "address_string"),
    "POST requests email": ("post", "requests", "email"),
    "POST requests first_name": ("post", "requests", "first_name"),
    "POST requests device_id": ("post", "requests", "device_id"),
    "POST updates description": ("post", "servicerequestupdates", "description"),
    "GET requests q": ("get", "requests", "q"),
    "GET requests service_code": ("get", "requests", "service_code"),
    "GET requests service_request_id": ("get", "requests", "service_request_id"),
}


@pytest.mark.parametrize("case", NUL_CASES)
def test_a_nul_byte_is_never_a_server_error(client, key, service, case):
    """PostgreSQL refuses NUL in text; whichever database runs, the client gets 200 or a 400, never a 500."""
    method, resource, field = NUL_CASES[case]
    if method == "get":
        response = client.get(f"{BASE}{resource}.json?{field}=a%00b")
    else:
        form = report(api_key=key)
        if resource == "servicerequestupdates":
            form = {"api_key": key, "service_request_id": submit(service("potholes")).public_id}
        before = snapshot()
        response = client.post(f"{BASE}{resource}.json", urlencode({**form, field: "a\x00b"}), content_type=FORM)
        if response.status_code != 200:
            assert snapshot() == before
    assert response.status_code in (200, 400), describe(response)
    if response.status_code == 400:
        assert_error(response, 400, "json")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("resource", ["services/a%00b", "service/a%00b", "requests/a%00b", "tokens/a%00b"])
def test_a_nul_byte_in_the_path_is_refused(client, santa_monica, resource, fmt):
    """Found by the fuzz suite: PostgreSQL refused the NUL in the lookup's parameter, and the client got a 500."""
    descriptions = assert_error(client.get(f"{BASE}{resource}.{fmt}"), 400, fmt)
    assert "NUL" in " ".join(descriptions), descriptions


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("length", ["abc", "-5", "1e3", "0x10"])
def test_a_content_length_that_is_not_a_number(key, fmt, length):
    """Found by the fuzz suite: `request.body` raised ValueError on Content-Length: abc (a 500)."""
    form = urlencode(report(api_key=key)).encode()
    with nothing_written():
        answer = call_wsgi(
            f"{BASE}requests.{fmt}", method="POST", body=form, content_type=FORM, environ={"CONTENT_LENGTH": length}
        )
        assert "Content-Length" in " ".join(assert_error(answer, 400, fmt))


@pytest.mark.parametrize(
    "where",
    [
        "/open311/v2/foo%0Abar.json",  # issue 18, finding 6: Django's HTML 404 page
        "/open311/v2/foo%0Abar.xml",
        "/open311/v2/requests.json%0A",
        "/open311/v2/services/potholes%0A.json",
        "/open311/foo.json",
        "/open311/v3/services.json",
        "/open311/v2",
        "/open311/",
    ],
)
def test_every_path_under_the_base_answers_an_open311_error(santa_monica, where):
    """Through the production entry point (the short chain), as gunicorn hands it the decoded path."""
    assert_error(call_wsgi(where), 404, "json" if where.endswith(".json") else "xml")


def test_the_site_keeps_its_own_404_page(santa_monica):
    answer = call_wsgi("/no-such-page%0A")
    assert answer.status_code == 404 and looks_like_html(answer), describe(answer)


def _crash(request):
    raise RuntimeError("a bug in a view")


# A route that fails as a bug would, in front of the real ones (pytest.mark.urls).
urlpatterns = [re_path(r"^(open311/v2/crash\.(json|xml)|crash)$", _crash), path("", include("config.urls"))]
handler500 = config_urls.handler500


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_crash_under_the_base_is_still_an_open311_error(santa_monica, fmt):
    """A bug's 500 is logged, and the client still gets its own format, not Django's HTML page."""
    assert_error(call_wsgi(f"/open311/v2/crash.{fmt}"), 500, fmt)
    site = call_wsgi("/crash")
    assert site.status_code == 500 and looks_like_html(site), describe(site)
