"""Staff see the raising device's readings on the request, as a small chart with its numbers in words."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from cityhall.core import clock
from cityhall.devices.models import Comparison, Rule
from cityhall.requests.models import ServiceRequest
from cityhall.requests.tests.builders import submit

pytestmark = pytest.mark.django_db
MORNING = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)


def raised_by_a_filling_bin(bin_sender) -> ServiceRequest:
    Rule.objects.create(name="Bin nearly full", kind="litter_bin", measure="fill", comparison=Comparison.ABOVE,
                        threshold=80, hysteresis=20)  # fmt: skip
    with clock.travel(MORNING):
        for value in (40, 62, 75, 91):
            assert bin_sender.reading(value).status_code == 202
            clock.advance(timedelta(seconds=30))
    (raised,) = ServiceRequest.objects.filter(device_id="bin-0042")
    return raised


# The chart's words for a screen reader, in the reader's language, on the city's clock (16:00 UTC is 9:00 there).
READ_OUT = {
    "en": (
        "4 readings from 9:00 AM to 9:01 AM: lowest 40.0 %, highest 91.0 %, latest 91.0 %",
        "Smart litter bin bin-0042: latest 91.0 %",
    ),
    "es": (
        "4 lecturas de 09:00 a 09:01: mínima 40,0 %, máxima 91,0 %, última 91,0 %",
        "Papelera inteligente bin-0042: última 91,0 %",
    ),
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_request_a_bin_raised_shows_its_readings(client, people, bin_sender, language):
    raised = raised_by_a_filling_bin(bin_sender)
    client.force_login(people["staff"])
    url = reverse("staff:request", args=[raised.public_id])
    page = client.get(url, headers={"accept-language": language}).content.decode()
    (svg,) = re.findall(r"<svg class=\"device-readings\".*?</svg>", page, re.S)
    described, caption = READ_OUT[language]
    assert described in svg and caption in page
    assert '<title id="readings-title">bin-0042: ' in svg
    assert len(re.search(r'<polyline points="([^"]+)"', svg).group(1).split()) == 4
    assert "stroke-dasharray" in svg  # the threshold


def test_other_requests_have_no_readings(client, people, service, public_works):
    resident_request = submit(service("potholes"))
    client.force_login(people["agent"])
    page = client.get(reverse("staff:request", args=[resident_request.public_id])).content.decode()
    assert "device-readings" not in page
