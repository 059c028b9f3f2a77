"""Every response carries a request id: the client's own when it is short and plain, a new one otherwise,
in both middleware chains (the pages' and the Open311 API's)."""

from __future__ import annotations

import re

import pytest

from cityhall.open311.tests.helpers import call_wsgi

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"[0-9a-f]{32}")


def test_a_well_formed_request_id_is_kept(client, santa_monica):
    for offered in ("abc-123", "Root=1-67891233-abcdef012345678912345678"[:64], "req_9.8:7", "YWJj+/=="):
        assert client.get("/healthz", HTTP_X_REQUEST_ID=offered)["X-Request-ID"] == offered


@pytest.mark.parametrize(
    "offered",
    ["", "a" * 65, "two words", "line\nbreak", "<script>", "ñandú", "a,b"],
    ids=["empty", "too-long", "space", "newline", "markup", "non-ascii", "comma"],
)
def test_anything_else_is_replaced_by_a_new_id(client, santa_monica, offered):
    given = client.get("/healthz", HTTP_X_REQUEST_ID=offered)["X-Request-ID"]
    assert GENERATED.fullmatch(given) and given != offered


def test_each_request_without_one_gets_its_own(client, santa_monica):
    ids = {client.get("/").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3 and all(GENERATED.fullmatch(given) for given in ids)


def test_the_open311_chain_carries_it_too(santa_monica):
    answer = call_wsgi("/open311/v2/services.json", environ={"HTTP_X_REQUEST_ID": "partner-42"})
    assert answer.status_code == 200 and answer.get("X-Request-ID") == "partner-42"
    fresh = call_wsgi("/open311/v2/services.json")
    assert GENERATED.fullmatch(fresh.get("X-Request-ID"))
