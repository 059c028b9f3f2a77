"""Who an email is from: the city, named as its sender, at its head and in its way out as the site's header
names it, in the reader's language; the product's name is not the sender."""

from __future__ import annotations

import re

import pytest

from cityhall.requests.tests.builders import submit
from tests.smtp import sender_of

from .helpers import html_of, text_of

pytestmark = pytest.mark.django_db

CITY = {"en": "City of Santa Monica", "es": "Ciudad de Santa Mónica"}
STOP = {"en": "Stop emails from the", "es": "No recibir más correos de la"}


def receipt_to(resident, language, service, smtp, committed):
    resident.language = language
    resident.save(update_fields=["language"])
    with committed():
        submit(service("potholes"), reporter=resident)
    (receipt,) = smtp.to(resident.email)
    return receipt


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_request_email_is_headed_by_its_city(language, people, service, smtp, committed, settings):
    settings.DEFAULT_FROM_EMAIL = "no-reply@santamonica.gov"
    receipt = receipt_to(people["resident"], language, service, smtp, committed)
    html, text = html_of(receipt), text_of(receipt)
    city = CITY[language]
    assert f"<title>{city}</title>" in html
    head = re.search(r"<body[^>]*>\s*<div[^>]*>\s*<p[^>]*>([^<]*)</p>", html)
    assert head and head.group(1) == city, html[:600]
    assert f">{STOP[language]} {city}</a>" in html
    assert f"{STOP[language]} {city}: https://" in text
    assert "CityHall" not in html + text
    assert sender_of(receipt) == (city, "no-reply@santamonica.gov")


def test_a_sender_name_the_operator_gave_is_kept(people, service, smtp, committed, settings):
    settings.DEFAULT_FROM_EMAIL = "Santa Monica 311 <311@santamonica.gov>"
    receipt = receipt_to(people["resident"], "es", service, smtp, committed)
    assert sender_of(receipt) == ("Santa Monica 311", "311@santamonica.gov")
