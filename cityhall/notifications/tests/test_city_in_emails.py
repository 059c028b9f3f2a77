"""Who an email is from: the city, named at its head and in its way out as the site's header names it,
in the reader's language; the product's name is not the sender."""

from __future__ import annotations

import re

import pytest

from cityhall.requests.tests.builders import submit

from .helpers import html_of, text_of

pytestmark = pytest.mark.django_db

CITY = {"en": "City of Santa Monica", "es": "Ciudad de Santa Mónica"}
STOP = {"en": "Stop emails from", "es": "No recibir más correos de"}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_request_email_is_headed_by_its_city(language, people, service, smtp, committed):
    resident = people["resident"]
    resident.language = language
    resident.save(update_fields=["language"])
    with committed():
        submit(service("potholes"), reporter=resident)
    (receipt,) = smtp.to(resident.email)
    html, text = html_of(receipt), text_of(receipt)
    city = CITY[language]
    assert f"<title>{city}</title>" in html
    head = re.search(r"<body[^>]*>\s*<div[^>]*>\s*<p[^>]*>([^<]*)</p>", html)
    assert head and head.group(1) == city, html[:600]
    assert f">{STOP[language]} {city}</a>" in html
    assert f"{STOP[language]} {city}: https://" in text
    assert "CityHall" not in html + text
