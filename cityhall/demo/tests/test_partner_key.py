"""The demo's partner key: printed at each start, and the one printed works (the one before no longer does)."""

from __future__ import annotations

import pytest

from cityhall.demo.partners import demo_partner_key, partner_lines
from cityhall.open311.tests.helpers import report

pytestmark = pytest.mark.django_db


def test_each_start_prints_a_working_partner_key_and_the_previous_one_stops(client, santa_monica):
    first = demo_partner_key(santa_monica)
    second = demo_partner_key(santa_monica)

    def services(key: str) -> int:
        return client.get("/api/v1/requests", headers={"authorization": f"Bearer {key}"}).status_code

    assert first != second
    assert services(first) == 401
    assert services(second) == 200
    assert second in partner_lines("http://127.0.0.1:8000", second)[1]
    # The demo's partner may file requests, as a resident's app would.
    filed = client.post("/open311/v2/requests.json", report(api_key=second))
    assert filed.status_code == 200, filed.content
