"""Emails say where the request is: its address or “near …”, and its neighborhood, in the reader's language."""

from __future__ import annotations

import pytest

from cityhall.requests import services
from cityhall.requests.tests.builders import CITY_HALL

from .helpers import html_of, text_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "near"), [("en", "Near"), ("es", "Cerca de")])
def test_the_receipt_says_near_which_address_and_in_which_neighborhood(
    language, near, service, people, smtp, committed
):
    resident = people["resident"]
    resident.language = language
    resident.save(update_fields=["language"])
    with committed():
        request = services.service_request_submit(
            service=service("potholes"),
            # As the report form stores a point from the GPS: its nearest address.
            location=services.Location(lat=CITY_HALL[0], lng=CITY_HALL[1], address="near 1675 Main St"),
            description="Deep hole",
            attributes={"SIZE": "M"},
            reporter=resident,
        )
    assert request.zone is not None and request.zone.name == "Pico"
    (receipt,) = smtp.to("resident@example.org")
    assert f"({near} 1675 Main St · Pico)" in text_of(receipt)
    assert f"({near} 1675 Main St · Pico)" in html_of(receipt)
