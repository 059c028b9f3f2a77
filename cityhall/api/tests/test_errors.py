"""Every error under /api/ is an RFC 9457 problem detail: keys refused, limits, unknown paths, faults."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cityhall.catalogue.models import Jurisdiction
from cityhall.core import clock
from cityhall.partners.keys import revoke_key
from cityhall.requests import selectors

from .conftest import Partner, make_key

PROBLEM_FIELDS = {"type", "title", "status", "detail", "instance"}


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert set(body) >= PROBLEM_FIELDS and body["status"] == status, body
    return body


def test_a_call_without_a_usable_key_is_401_with_a_reason(client, santa_monica):
    assert "Authorization: Bearer" in problem(client.get("/api/v1/requests"), 401)["detail"]
    assert client.get("/api/v1/requests")["WWW-Authenticate"].startswith("Bearer")
    wrong = client.get("/api/v1/requests", headers={"Authorization": "Bearer not-a-key"})
    assert "not known" in problem(wrong, 401)["detail"]
    raw = make_key("Gone", "read")
    revoke_key(name="Gone")
    assert (
        "revoked" in problem(client.get("/api/v1/requests", headers={"Authorization": f"Bearer {raw}"}), 401)["detail"]
    )


def test_a_key_for_another_city_is_403(client, santa_monica):
    culver_city = Jurisdiction.objects.create(
        name="Culver City", jurisdiction_id="culvercity.org", boundary=santa_monica.boundary
    )
    raw = make_key("Culver partner", "read", jurisdiction=culver_city)
    refused = problem(client.get("/api/v1/services", headers={"Authorization": f"Bearer {raw}"}), 403)
    assert "another city" in refused["detail"]


def test_a_key_over_its_limit_gets_429_with_retry_after_until_the_next_minute(client, santa_monica):
    partner = Partner(client, make_key("Busy", "read", rate_limit_per_minute=2))
    with clock.travel(datetime(2026, 5, 4, 10, 15, 45, tzinfo=UTC)):
        assert [partner.get("/services").status_code for _ in range(2)] == [200, 200]
        over = partner.get("/services")
        assert problem(over, 429)["type"] == "urn:cityhall:problem:rate-limited"
        assert over["Retry-After"] == "15"
    with clock.travel(datetime(2026, 5, 4, 10, 16, 0, tzinfo=UTC)):
        assert partner.get("/services").status_code == 200


def test_unknown_addresses_and_methods_are_problems_never_html(reader, client):
    assert problem(reader.get("/nothing-here"), 404)["instance"] == "/api/v1/nothing-here"
    problem(client.get("/api/v2/requests"), 404)
    problem(reader.get("/requests/12345678/nothing"), 404)
    wrong_method = reader.client.delete("/api/v1/requests", headers={"Authorization": f"Bearer {reader.key}"})
    assert problem(wrong_method, 405)["detail"]
    assert set(wrong_method["Allow"].split(", ")) == {"GET", "POST"}  # in no set order


def test_an_unexpected_fault_is_a_500_problem_and_logged(reader, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(selectors, "partner_request_page", broken)
    fault = problem(reader.get("/requests"), 500)
    assert "a bug" not in fault["detail"]  # the cause is logged for us, not told to the partner
    assert any("JSON API fault" in record.message for record in caplog.records)


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/docs"])
def test_the_schema_and_its_docs_page_need_no_key(client, santa_monica, path):
    assert client.get(path).status_code == 200


def test_the_schema_describes_every_operation_and_its_problems(client, santa_monica):
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    operations = {(method.upper(), path) for path, item in schema["paths"].items() for method in item}
    assert operations == {
        ("GET", "/api/v1/requests"),
        ("POST", "/api/v1/requests"),
        ("GET", "/api/v1/requests/{public_id}"),
        ("GET", "/api/v1/requests/{public_id}/events"),
        ("POST", "/api/v1/requests/{public_id}/actions"),
        ("GET", "/api/v1/services"),
        ("GET", "/api/v1/services/{code}"),
        ("GET", "/api/v1/webhooks"),
        ("POST", "/api/v1/webhooks"),
        ("DELETE", "/api/v1/webhooks/{subscription_id}"),
        ("GET", "/api/v1/devices"),
        ("GET", "/api/v1/devices/{device_id}"),
        ("GET", "/api/v1/devices/{device_id}/readings"),
        ("GET", "/api/v1/applications"),
        ("GET", "/api/v1/applications/{reference}"),
        ("GET", "/api/v1/applications/{reference}/events"),
    }
    create = schema["paths"]["/api/v1/requests"]["post"]
    assert "Idempotency-Key" in {parameter["name"] for parameter in create["parameters"]}
    assert {"401", "403", "422", "429"} <= set(create["responses"])


@pytest.fixture
def fuzzer(partner_for) -> Partner:
    return partner_for("Fuzzer", "read", rate_limit_per_minute=1_000_000)


@settings(max_examples=60, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(cursor=st.text(max_size=80), code=st.text(max_size=40), moment=st.text(max_size=40))
def test_any_cursor_or_filter_text_is_refused_as_a_problem_never_a_fault(fuzzer, cursor, code, moment):
    # One parameter at a time: the first refusal would otherwise hide how the others are read.
    for params in ({"cursor": cursor}, {"service_code": code}, {"updated_after": moment}):
        response = fuzzer.get("/requests", params)
        if response.status_code != 200:
            assert problem(response, response.status_code)["status"] == 422, params


def test_a_site_with_no_city_answers_503_speaking_as_the_site_not_the_product(client, santa_monica, settings):
    raw = make_key("Early", "read")
    settings.CITYHALL_SITE_CITY = "nowhere.example"  # names no jurisdiction: the site has no city set up
    refused = client.get("/api/v1/services", headers={"Authorization": f"Bearer {raw}"})
    assert problem(refused, 503)["detail"] == "This site has no city set up yet."
    assert refused["Retry-After"] == "60"


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_unknown_category_names_the_city_as_an_english_sentence_does(reader, language):
    # The API's errors are English in any language: the city keeps its English name and its article.
    refused = problem(reader.get("/services/no-such-thing", **{"Accept-Language": language}), 404)
    assert refused["detail"] == "There is no category “no-such-thing” in the City of Santa Monica."
