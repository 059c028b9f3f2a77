"""Public writes are rate limited per client address: past the limit, 429 and nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from cityhall.core import clock
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


SECOND_PROCESS = """
import os, sys
from datetime import datetime
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
import django
django.setup()
from cityhall.core import clock
from cityhall.core.ratelimit import allow
with clock.travel(datetime.fromisoformat(sys.argv[1])):
    print("allowed" if allow("report", "192.0.2.77", int(sys.argv[2])) else "refused")
"""


@pytest.mark.django_db(transaction=True)  # committed, so another process can read the count
def test_every_web_process_counts_against_the_same_limit(client, settings, santa_monica):
    """gunicorn runs several workers: a flood spread over them must meet one limit, not one each."""
    from django.db import connection

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("another process cannot open this in-memory test database")
    settings.CITYHALL_RATE_LIMITS = {"report": 2}
    moment = datetime(2026, 12, 3, 10, 15, 30, tzinfo=UTC)  # one minute for both processes
    with clock.travel(moment):
        for _ in range(2):
            assert client.post("/report/potholes", {}, REMOTE_ADDR="192.0.2.77").status_code != 429
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        url = f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    else:
        url = f"sqlite:///{db['NAME']}"
    answer = subprocess.run(
        [sys.executable, "-c", SECOND_PROCESS, moment.isoformat(), "2"],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert answer.stdout.strip() == "refused"
