"""Whatever a client sends, the answer is data: Socrata-shaped JSON errors naming the problem, never a 500."""

from __future__ import annotations

import pytest

from cityhall.opendata.models import PublicRequest

from .soda_fixtures import REQUESTS

pytestmark = pytest.mark.django_db


def refusal(client, path: str, params: dict[str, str], status: int = 400) -> dict:  # type: ignore[no-untyped-def]
    response = client.get(path, params)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["error"] is True
    return body


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        ({"$where": "status = "}, "query.soql.malformed", "Unexpected end of input in $where at character 10"),
        ({"$where": "nope = 1"}, "query.soql.no-such-column", "No such column: nope in $where at character 1"),
        ({"nope": "1"}, "query.soql.no-such-column", "No such column: nope"),
        (
            {"$where": "requested_datetime > 5"},
            "query.soql.type-mismatch",
            "Cannot compare calendar_date with number in $where at character 20",
        ),
        (
            {"$select": "shout(status)"},
            "query.soql.no-such-function",
            "No such function: shout in $select at character 1",
        ),
        ({"$where": "status ~ '^o'"}, "query.soql.malformed", "Unexpected character '~' in $where at character 8"),
        (
            {"$where": "status = 'open'; DELETE FROM opendata_publicrequest"},
            "query.soql.malformed",
            "Unexpected character ';' in $where at character 16",
        ),
        ({"$where": "status = 'open' --"}, "query.soql.malformed", "Unexpected '-' in $where at character 17"),
        ({"$select": "status, count(*)"}, "query.soql.not-grouped", "status must be in $group"),
        ({"$limit": "50001"}, "query.soql.bad-limit", "$limit must be at most 50,000"),
        ({"$limit": "1e9"}, "query.soql.bad-limit", "whole number"),
        ({"$offset": "-5"}, "query.soql.bad-offset", "whole number"),
        ({"$offset": "999999999"}, "query.soql.bad-offset", "at most 10,000,000"),
        ({"$sneaky": "1"}, "query.soql.malformed", "Unrecognized parameter $sneaky"),
        ({"$select": "min(location_generalized)"}, "query.soql.type-mismatch", "min cannot take a checkbox"),
        ({"$where": "within_circle(location, 34, -118, 200000)"}, "query.soql.type-mismatch", "at most 100,000 meters"),
    ],
)
def test_bad_queries_are_400s_naming_the_token(client, params, code, message) -> None:
    body = refusal(client, f"/resource/{REQUESTS}.json", params)
    assert body["code"] == code
    assert message in body["message"]


def test_unknown_datasets_formats_paths_and_methods_answer_json(client) -> None:
    assert "abcd-efgh" in refusal(client, "/resource/abcd-efgh.json", {}, 404)["message"]
    assert "'xml'" in refusal(client, f"/resource/{REQUESTS}.xml", {}, 406)["message"]
    refusal(client, f"/resource/{REQUESTS}/extra/path", {}, 404)
    response = client.post(f"/resource/{REQUESTS}.json", {"status": "closed"})
    assert (response.status_code, response.json()["error"]) == (405, True)


def test_a_resource_without_a_format_is_json(client) -> None:
    response = client.get(f"/resource/{REQUESTS}")
    assert (response.status_code, response.json()) == (200, [])


def test_a_slow_query_is_stopped_at_the_time_limit(client, settings, slow_query) -> None:
    params, published = slow_query
    settings.CITYHALL_SODA_TIMEOUT_MS = 1
    body = refusal(client, f"/resource/{REQUESTS}.json", params, 503)
    assert body["code"] == "query.execution.timeout"
    assert "time limit of 1 ms" in body["message"]
    settings.CITYHALL_SODA_TIMEOUT_MS = 60_000
    assert client.get(f"/resource/{REQUESTS}.json", params).status_code == 200
    assert PublicRequest.objects.count() == published


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"$where": "status = "}, "$where"),
        ({"$select": "shout(status)"}, "$select"),
        ({"$limit": "50001"}, "$limit"),
        ({"$limit": "1e9"}, "$limit"),
        ({"$offset": "-5"}, "$offset"),
        ({"$offset": "999999999"}, "$offset"),
    ],
)
def test_a_refusal_names_its_parameter_in_its_data_too(client, params, parameter) -> None:
    """A client shows or highlights the field its user got wrong from `data.parameter`, as Socrata's do."""
    body = refusal(client, f"/resource/{REQUESTS}.json", params)
    assert body["data"]["parameter"] == parameter
    assert body["message"].count(parameter) == 1, body["message"]
