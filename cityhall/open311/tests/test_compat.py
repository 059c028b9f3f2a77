"""§12 of the GeoReport v2 notes, rules 1–9 (URLs and parameters): what real, old clients send.

Rules 10–14 are in test_compat_responses.py, 15–17 in test_compat_behaviour.py; bad input and
privacy in test_compat_bad_input.py and test_compat_privacy.py. Everything goes through HTTP.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cityhall.core import clock
from cityhall.requests import services
from cityhall.requests.models import Channel, ServiceRequest
from cityhall.requests.tests.builders import jpeg_with_gps, submit

from .helpers import (
    BASE,
    FORMATS,
    JURISDICTION_ID,
    assert_error,
    body,
    created_id,
    describe,
    get_both,
    nothing_written,
    report,
)

pytestmark = pytest.mark.django_db
FORM = "application/x-www-form-urlencoded"


def stored(public_id: str) -> ServiceRequest:
    return ServiceRequest.objects.get(public_id=public_id)


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_with_gps((320, 240)), "image/jpeg")


# ---------------------------------------------------------------- URLs


def test_rule_01_every_resource_answers_xml_and_json(client, key, service):
    request = submit(
        service("potholes"),
        channel=Channel.OPEN311,
        client=services.ClientInfo(api_client="partner", batch_token="tok-rule-1"),
    )
    resources = [
        "discovery",
        "services",
        "services/potholes",
        "service/potholes",
        "requests",
        f"requests/{request.public_id}",
        "tokens/tok-rule-1",
        "servicerequestupdates",
    ]
    types = {"json": "application/json", "xml": "text/xml"}
    for resource in resources:
        for fmt in FORMATS:
            response = client.get(f"{BASE}{resource}.{fmt}")
            assert response.status_code == 200, f"{resource}.{fmt}: {describe(response)}"
            assert response["Content-Type"].startswith(types[fmt]), f"{resource}.{fmt}: {describe(response)}"
    for fmt in FORMATS:
        assert created_id(client.post(f"{BASE}requests.{fmt}", report(api_key=key)), fmt)
        update = {"api_key": key, "service_request_id": request.public_id, "description": f"Seen again ({fmt})."}
        assert client.post(f"{BASE}servicerequestupdates.{fmt}", update).status_code == 200


def test_rule_01_duplicate_slashes_are_collapsed(client, key):
    for fmt in FORMATS:
        response = client.get(f"/open311/v2//services.{fmt}")
        assert response.status_code == 200, describe(response)
        body(response, "services", fmt)
        response = client.get(f"/open311//v2//requests.{fmt}")
        assert response.status_code == 200, describe(response)
    public_id = created_id(client.post("/open311/v2//requests.json", report(api_key=key)))
    assert stored(public_id).channel == "open311"


def test_rule_02_discovery_at_the_base_names_one_geo_report_v2_endpoint(client, santa_monica):
    data = get_both(client, "discovery", "discovery")
    (endpoint,) = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["type"] == "production"
    assert sorted(endpoint["formats"]) == ["application/json", "text/xml"]
    assert client.get(endpoint["url"].rstrip("/") + "/services.json").status_code == 200


def test_rule_03_singular_service_is_an_alias_of_services(client, santa_monica):
    for fmt in FORMATS:
        plural = client.get(f"{BASE}services/potholes.{fmt}")
        singular = client.get(f"{BASE}service/potholes.{fmt}")
        assert singular.status_code == plural.status_code == 200, describe(singular)
        assert singular.content == plural.content
        assert_error(client.get(f"{BASE}service/no-such-thing.{fmt}"), 404, fmt)


# ---------------------------------------------------------------- parameters


def test_rule_04_api_key_is_read_from_the_query_string_or_the_body(client, key):
    assert created_id(client.post(f"{BASE}requests.json?api_key={quote(key)}", report()))
    assert created_id(client.post(f"{BASE}requests.json?api_key={quote(key)}", report(api_key="")))
    assert created_id(client.post(f"{BASE}requests.json?api_key=", report(api_key=key)))
    with nothing_written():
        assert_error(client.post(f"{BASE}requests.json?api_key=", report(api_key="")), 403, "json")


def test_rule_04_jurisdiction_id_from_query_or_body_and_empty_means_absent(client, key):
    assert created_id(client.post(f"{BASE}requests.json", report(api_key=key, jurisdiction_id=JURISDICTION_ID)))
    assert created_id(client.post(f"{BASE}requests.json?jurisdiction_id={JURISDICTION_ID}", report(api_key=key)))
    assert created_id(client.post(f"{BASE}requests.json", report(api_key=key, jurisdiction_id="")))
    with nothing_written():
        assert_error(
            client.post(f"{BASE}requests.json", report(api_key=key, jurisdiction_id="nowhere.gov")), 404, "json"
        )
        assert_error(client.post(f"{BASE}requests.xml?jurisdiction_id=nowhere.gov", report(api_key=key)), 404, "xml")
    for value in (JURISDICTION_ID, ""):
        for resource in ("services", "services/potholes", "requests", "discovery"):
            response = client.get(f"{BASE}{resource}.json", {"jurisdiction_id": value})
            assert response.status_code == 200, describe(response)
    assert_error(client.get(f"{BASE}requests.json", {"jurisdiction_id": "nowhere.gov"}), 404, "json")


def test_rule_04_api_key_is_ignored_on_gets(client, key, service):
    request = submit(service("potholes"))
    for api_key in ("not-a-key", "", key):
        for resource in ("services", "requests", f"requests/{request.public_id}", "servicerequestupdates"):
            response = client.get(f"{BASE}{resource}.xml", {"api_key": api_key})
            assert response.status_code == 200, f"{resource} api_key={api_key!r}: {describe(response)}"


@pytest.mark.parametrize("content_type", [FORM, f"{FORM}; charset=utf-8", f"{FORM}; charset=UTF-8"])
def test_rule_05_urlencoded_with_or_without_charset(client, key, content_type):
    response = client.post(f"{BASE}requests.json", urlencode(report(api_key=key)), content_type=content_type)
    assert stored(created_id(response)).attributes["SIZE"] == "M"


@pytest.mark.parametrize("part", ["media", "media[]", "photo1", "file_pothole"])
def test_rule_05_multipart_with_a_file_part(client, key, part):
    posted = "https://cdn.example.org/ignored.jpg"
    response = client.post(f"{BASE}requests.json", {**report(api_key=key, media_url=posted), part: jpeg()})
    public_id = created_id(response)
    assert stored(public_id).attachments.count() == 1
    (item,) = get_both(client, f"requests/{public_id}", "request_one")
    assert item["media_url"] and item["media_url"] != posted, "uploaded files take precedence over media_url"


def test_rule_05_fixmystreet_sends_several_photos(client, key):
    response = client.post(
        f"{BASE}requests.json", {**report(api_key=key), "photo1": jpeg("a.jpg"), "photo2": jpeg("b.jpg")}
    )
    public_id = created_id(response)
    (item,) = get_both(client, f"requests/{public_id}", "request_one_extended", {"extensions": "true"})
    assert len(item["extended_attributes"]["photos"]) == 2
    assert item["media_url"] == item["extended_attributes"]["photos"][0]


ENCODINGS = {
    "brackets": [("attribute[HAZARDS][]", "WATER"), ("attribute[HAZARDS][]", "TRAFFIC")],
    "repeated": [("attribute[HAZARDS]", "WATER"), ("attribute[HAZARDS]", "TRAFFIC")],
    "single bracket": [("attribute[HAZARDS][]", "WATER")],
}


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_rule_06_multi_value_attributes_in_three_encodings(client, key, encoding):
    pairs = [*report(api_key=key).items(), *ENCODINGS[encoding]]
    response = client.post(f"{BASE}requests.json", urlencode(pairs), content_type=FORM)
    expected = [value for _name, value in ENCODINGS[encoding]]
    assert stored(created_id(response)).attributes["HAZARDS"] == expected


DESCRIPTIONS = {
    "crlf": "First line.\r\nSecond line.\r\n\r\nAfter a blank line.",
    "unicode": "Bache profundo en la esquina — 深い穴 — حفرة 🚧 Ωmega ñandú",
    "4000 characters": ("Ünïcödé " * 500)[:4000],
    "spaces kept": "  indented\tand tabbed  ",
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", DESCRIPTIONS)
def test_rule_07_description_is_kept_as_sent(client, key, case, fmt):
    text = DESCRIPTIONS[case]
    public_id = created_id(client.post(f"{BASE}requests.json", report(api_key=key, description=text)))
    response = client.get(f"{BASE}requests/{public_id}.{fmt}")
    (item,) = body(response, "request_one", fmt)
    assert item["description"] == text


def test_rule_07_description_over_4000_characters_is_refused(client, key):
    with nothing_written():
        assert_error(client.post(f"{BASE}requests.json", report(api_key=key, description="x" * 4001)), 400, "json")


def _w3c_variants(moment):
    utc, kolkata = moment.astimezone(ZoneInfo("UTC")), moment.astimezone(ZoneInfo("Asia/Kolkata"))
    la = moment.astimezone(ZoneInfo("America/Los_Angeles"))
    return {
        "Z": utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "fraction Z": utc.strftime("%Y-%m-%dT%H:%M:%S.250Z"),
        "negative offset": la.isoformat(timespec="seconds"),
        "escaped plus": quote(kolkata.isoformat(timespec="seconds")),
        "unescaped plus": utc.isoformat(timespec="seconds"),  # "+00:00" arrives as " 00:00"
        "unescaped plus fraction": kolkata.isoformat(timespec="microseconds"),
    }


@pytest.mark.parametrize("variant", list(_w3c_variants(clock.now())))
def test_rule_08_w3c_datetimes_with_z_offsets_fractions_and_unescaped_plus(client, service, variant):
    request = submit(service("potholes"))
    now = clock.now()
    start, end = _w3c_variants(now - timedelta(days=1))[variant], _w3c_variants(now + timedelta(days=1))[variant]
    response = client.get(f"{BASE}requests.json?start_date={start}&end_date={end}")
    assert response.status_code == 200, describe(response)
    assert request.public_id in [item["service_request_id"] for item in response.json()]
    earlier = _w3c_variants(now - timedelta(days=2))[variant]
    response = client.get(f"{BASE}requests.json?start_date={earlier}&end_date={start}")
    assert response.status_code == 200, describe(response)
    assert request.public_id not in [item["service_request_id"] for item in response.json()]


@pytest.mark.parametrize("agent", [None, "", "Python-urllib/2.7", "libwww-perl/6.05"])
def test_rule_09_no_user_agent_is_required(client, key, agent):
    headers = {} if agent is None else {"User-Agent": agent}
    response = client.get(f"{BASE}services.xml", headers=headers)
    assert response.status_code == 200, describe(response)
    assert response.wsgi_request.META.get("HTTP_USER_AGENT") == agent
    response = client.post(f"{BASE}requests.xml", report(api_key=key), headers=headers)
    assert created_id(response, "xml")


def test_rule_09_headers_do_not_change_the_format(client, santa_monica):
    response = client.get(f"{BASE}services.json", headers={"Accept": "text/html"})
    body(response, "services", "json")
    response = client.get(f"{BASE}services.xml", headers={"Accept": "application/json"})
    body(response, "services", "xml")
