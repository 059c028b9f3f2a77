"""§12 rules 10–14 (responses): status codes, XML and JSON shapes, request fields, errors. Through HTTP."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from cityhall.core import clock
from cityhall.requests import services
from cityhall.requests.tests.builders import DOWNTOWN_LA, submit

from .helpers import (
    BASE,
    FORMATS,
    SHAPES,
    W3C,
    assert_error,
    body,
    created_id,
    describe,
    get_both,
    looks_like_html,
    make_key,
    nothing_written,
    parse_xml,
    report,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def resources(service) -> list[str]:
    request = submit(service("potholes"), client=services.ClientInfo(batch_token="tok-responses"))
    return [
        "discovery",
        "services",
        "services/potholes",
        "requests",
        f"requests/{request.public_id}",
        "tokens/tok-responses",
        "servicerequestupdates",
    ]


def test_rule_10_success_is_exactly_200(client, key, resources):
    for resource in resources:
        for fmt in FORMATS:
            response = client.get(f"{BASE}{resource}.{fmt}")
            assert response.status_code == 200, f"{resource}.{fmt}: {describe(response)}"
            assert client.head(f"{BASE}{resource}.{fmt}").status_code == 200
    posted = client.post(f"{BASE}requests.json", report(api_key=key))
    assert posted.status_code == 200, describe(posted)
    update = {"api_key": key, "service_request_id": created_id(posted), "description": "Thanks."}
    response = client.post(f"{BASE}servicerequestupdates.json", update)
    assert response.status_code == 200, describe(response)


def test_rule_11_xml_declaration_no_namespace_spec_names(client, resources):
    for resource in resources:
        response = client.get(f"{BASE}{resource}.xml")
        root = parse_xml(response)  # declaration, well-formed, no namespace, no XML attributes
        assert response.content.split(b">", 1)[0] + b">" == SHAPES["declaration"].encode()
        assert "xmlns" not in root.attrib and not root.tag.startswith("{")


def test_rule_11_xml_containers_attributes_values_formats(client, santa_monica):
    root = parse_xml(client.get(f"{BASE}services/potholes.xml"))
    attributes = root.findall("attributes/attribute")
    assert attributes and not root.findall("attribute"), "attributes sit in an <attributes> container"
    assert [v.findtext("key") for v in root.find("attributes/attribute[code='SIZE']/values")] == ["S", "M", "L"]
    discovery = parse_xml(client.get(f"{BASE}discovery.xml"))
    formats = [f.text for f in discovery.findall("endpoints/endpoint/formats/format")]
    assert sorted(formats) == ["application/json", "text/xml"]


def test_rule_11_an_empty_list_is_an_empty_root_element(client, santa_monica):
    empty_roots = {
        "requests": "service_requests",
        "servicerequestupdates": "service_request_updates",
    }
    params = {"service_code": "no-such-code", "start_date": "2001-01-01T00:00:00Z", "end_date": "2001-01-02T00:00:00Z"}
    for resource, root in empty_roots.items():
        response = client.get(f"{BASE}{resource}.xml", params)
        assert response.status_code == 200, describe(response)
        text = response.content.decode().split("?>", 1)[1].strip()
        assert text in (f"<{root}/>", f"<{root}></{root}>"), describe(response)
        assert client.get(f"{BASE}{resource}.json", params).json() == []


def test_rule_12_json_lists_are_top_level_arrays_including_one_request(client, key, santa_monica):
    posted = client.post(f"{BASE}requests.json", report(api_key=key))
    assert isinstance(posted.json(), list) and len(posted.json()) == 1
    public_id = created_id(posted)
    one = client.get(f"{BASE}requests/{public_id}.json").json()
    assert isinstance(one, list) and len(one) == 1 and one[0]["service_request_id"] == public_id
    for resource in ("services", "requests", "servicerequestupdates", "no-such-route"):
        assert isinstance(json.loads(client.get(f"{BASE}{resource}.json").content), list), resource
    for resource in ("discovery", "services/potholes"):
        assert isinstance(json.loads(client.get(f"{BASE}{resource}.json").content), dict), resource


def test_rule_12_ids_and_codes_are_strings_booleans_booleans_missing_null(client, key):
    public_id = created_id(
        client.post(f"{BASE}requests.json", report(api_key=key, lat=None, long=None, address_string="Pier"))
    )
    (item,) = get_both(client, f"requests/{public_id}", "request_one")  # schemas: types; helpers: no ""
    assert isinstance(item["service_request_id"], str) and isinstance(item["service_code"], str)
    assert item["lat"] is None and item["long"] is None and item["media_url"] is None and item["zipcode"] is None
    definition = get_both(client, "services/potholes", "service_definition")
    assert all(isinstance(a["required"], bool) and isinstance(a["variable"], bool) for a in definition["attributes"])
    assert all(isinstance(s["metadata"], bool) for s in get_both(client, "services", "services"))


def test_rule_13_every_request_carries_the_core_fields(client, key, service):
    submit(service("graffiti-public-property"))
    created_id(client.post(f"{BASE}requests.json", report(api_key=key)))
    for item in get_both(client, "requests", "requests"):
        for field in (
            "service_request_id",
            "status",
            "service_code",
            "service_name",
            "requested_datetime",
            "updated_datetime",
        ):
            assert item[field], f"{field} missing in {item}"
        assert "description" in item and "media_url" in item
        assert item["lat"] is not None and item["long"] is not None
        for field in ("requested_datetime", "updated_datetime"):
            assert W3C.fullmatch(item[field]) and datetime.fromisoformat(item[field]).tzinfo is not None


@pytest.mark.parametrize("fmt", FORMATS)
def test_rule_13_a_posted_media_url_comes_back_exactly_as_posted(client, key, fmt):
    posted = "https://cdn.example.org/photos/Pot%20Hole.JPG?size=large&v=2#frag"
    public_id = created_id(client.post(f"{BASE}requests.json", report(api_key=key, media_url=posted)))
    (item,) = body(client.get(f"{BASE}requests/{public_id}.{fmt}"), "request_one", fmt)
    assert item["media_url"] == posted
    listed = body(client.get(f"{BASE}requests.{fmt}"), "requests", fmt)
    assert [i["media_url"] for i in listed if i["service_request_id"] == public_id] == [posted]


UNKNOWN_ROUTES = [
    "",
    "nothing.json",
    "nothing.xml",
    "requests",
    "requests.html",
    "requests/12345678/extra.json",
    "services/potholes/attributes.xml",
    "v3/requests.json",
    "%FF%FE.json",
]


@pytest.mark.parametrize("route", UNKNOWN_ROUTES)
def test_rule_14_unknown_routes_answer_an_open311_404_never_html(client, santa_monica, route):
    fmt = "json" if route.endswith(".json") else "xml"
    for method in ("get", "post"):
        response = getattr(client, method)(f"{BASE}{route}")
        assert not looks_like_html(response), describe(response)
        assert_error(response, 404, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_rule_14_wrong_methods_answer_an_open311_error_never_html(client, santa_monica, fmt):
    for method in ("put", "delete", "patch"):
        for resource in ("requests", "services", "discovery"):
            response = getattr(client, method)(f"{BASE}{resource}.{fmt}")
            assert response.status_code in (400, 404, 405), describe(response)
            assert_error(response, response.status_code, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_rule_14_not_found(client, key, fmt):
    for resource in ("services/no-such-service", "requests/99999999", "requests/%FF", "tokens/no-such-token"):
        assert_error(client.get(f"{BASE}{resource}.{fmt}"), 404, fmt)
    assert_error(client.get(f"{BASE}services.{fmt}", {"jurisdiction_id": "elsewhere.gov"}), 404, fmt)
    with nothing_written():
        assert_error(client.post(f"{BASE}requests.{fmt}", report(api_key=key, service_code="no-such")), 404, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_rule_14_forbidden_without_a_good_key(client, santa_monica, fmt):
    from cityhall.partners.models import ApiKey

    revoked = make_key("old partner", revoked_at=clock.now())
    assert ApiKey.objects.get(name="old partner").revoked_at is not None
    with nothing_written():
        for api_key in (None, "", "wrong-key", revoked):
            assert_error(client.post(f"{BASE}requests.{fmt}", report(api_key=api_key)), 403, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_rule_14_bad_request(client, key, fmt):
    cases = {
        "missing required attribute": report(api_key=key, **{"attribute[SIZE]": None}),
        "unknown answer": report(api_key=key, **{"attribute[SIZE]": "XXL"}),
        "missing location": report(api_key=key, lat=None, long=None),
        "lat without long": report(api_key=key, long=None),
        "outside Santa Monica": report(api_key=key, lat=str(DOWNTOWN_LA[0]), long=str(DOWNTOWN_LA[1])),
        "missing service_code": report(api_key=key, service_code=None),
    }
    with nothing_written():
        for case, form in cases.items():
            descriptions = assert_error(client.post(f"{BASE}requests.{fmt}", form), 400, fmt)
            assert all(descriptions), case
    descriptions = assert_error(client.get(f"{BASE}requests.{fmt}", {"start_date": "2026-02-30"}), 400, fmt)
    assert "start_date" in " ".join(descriptions)


def test_rule_14_outside_the_city_says_so(client, key):
    form = report(api_key=key, lat=str(DOWNTOWN_LA[0]), long=str(DOWNTOWN_LA[1]))
    (description,) = assert_error(client.post(f"{BASE}requests.json", form), 400, "json")
    assert "outside" in description.lower()


@pytest.mark.parametrize("fmt", FORMATS)
def test_rule_14_over_the_rate_limit_is_429_and_writes_nothing(client, santa_monica, fmt):
    limited = make_key("busy partner", rate_limit_per_minute=1)
    with clock.travel(datetime.fromisoformat("2026-05-04T10:15:05+00:00")):
        created_id(client.post(f"{BASE}requests.{fmt}", report(api_key=limited)), fmt)
        with nothing_written():
            assert_error(client.post(f"{BASE}requests.{fmt}", report(api_key=limited)), 429, fmt)
