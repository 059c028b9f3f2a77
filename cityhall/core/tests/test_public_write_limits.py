"""Public writes are rate limited per client address: past the limit, 429 and nothing written."""

from __future__ import annotations

import pytest

from cityhall.requests.models import ServiceRequest, Support
from cityhall.requests.tests.builders import submit

pytestmark = pytest.mark.django_db


def test_a_flood_of_reports_is_refused_in_the_residents_language_and_writes_nothing(client, settings, santa_monica):
    settings.CITYHALL_RATE_LIMITS = {"report": 2}
    before = ServiceRequest.objects.count()
    for _ in range(2):
        assert client.post("/report/potholes", {"description": ""}).status_code != 429
    refused = client.post("/report/potholes", {"description": "A deep pothole"}, headers={"accept-language": "es"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "Demasiados a la vez" in refused.content.decode()
    assert ServiceRequest.objects.count() == before
    # Reading is never limited.
    assert client.get("/report/potholes").status_code == 200


def test_the_limit_counts_each_address_on_its_own(client, settings, santa_monica):
    settings.CITYHALL_RATE_LIMITS = {"report": 1}
    client.post("/report/potholes", {}, REMOTE_ADDR="192.0.2.1")
    assert client.post("/report/potholes", {}, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.post("/report/potholes", {}, REMOTE_ADDR="192.0.2.2").status_code != 429


def test_supporting_a_request_is_limited_too(client, settings, service):
    settings.CITYHALL_RATE_LIMITS = {"support": 0}
    request = submit(service("potholes"))
    response = client.post(f"/report/support/{request.public_id}", {"email": "neighbour@example.org"})
    assert response.status_code == 429
    assert not Support.objects.filter(request=request).exists()
