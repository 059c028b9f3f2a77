"""Who the account emails (codes, confirmations) are from: the city the site speaks for, as their sender, in the
subject and at the head and foot of the body, in the reader's language; while no city is set up, "City
services" and "the city" (core/city_names.py), never the product's name."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from tests.smtp import sender_of

pytestmark = pytest.mark.django_db


def sign_in_code_email(language: str) -> mail.EmailMessage:
    Client(headers={"accept-language": language}).post("/accounts/login/code/", {"email": "resident@example.org"})
    (message,) = mail.outbox
    return message


@pytest.mark.parametrize(
    ("language", "city", "greeting"),
    [
        ("en", "City of Santa Monica", "Hello from the 311 service of the City of Santa Monica."),
        ("es", "Ciudad de Santa Mónica", "Le saludamos desde el servicio 311 de la Ciudad de Santa Mónica."),
    ],
)
def test_an_account_email_comes_from_the_city(people, language, city, greeting):
    message = sign_in_code_email(language)
    assert message.subject.startswith(f"{city}: ")
    assert message.body.startswith(greeting)
    assert message.body.rstrip().endswith(f"{city} · testserver")
    assert "CityHall" not in message.subject + message.body


@pytest.mark.parametrize(("language", "city"), [("en", "City of Santa Monica"), ("es", "Ciudad de Santa Mónica")])
def test_an_account_email_is_sent_from_the_city(people, smtp, settings, language, city):
    settings.DEFAULT_FROM_EMAIL = "no-reply@santamonica.gov"
    Client(headers={"accept-language": language}).post("/accounts/login/code/", {"email": "resident@example.org"})
    (message,) = smtp.received
    assert sender_of(message) == (city, "no-reply@santamonica.gov")


@pytest.mark.parametrize(
    ("language", "alone", "greeting"),
    [
        ("en", "City services", "Hello from the 311 service of the city."),
        ("es", "Servicios municipales", "Le saludamos desde el servicio 311 de la ciudad."),
    ],
)
def test_without_a_city_an_account_email_speaks_as_the_city_never_the_product(
    people, smtp, settings, language, alone, greeting
):
    settings.CITYHALL_SITE_CITY = "nowhere.example"  # names no jurisdiction: the site has no city set up
    settings.DEFAULT_FROM_EMAIL = "no-reply@cityhall.localhost"
    Client(headers={"accept-language": language}).post("/accounts/login/code/", {"email": "resident@example.org"})
    (message,) = smtp.received
    subject, body = str(message["Subject"]).strip(), str(message.get_content())  # a long subject is folded
    assert subject.startswith(f"{alone}: ") and body.startswith(greeting)
    assert sender_of(message) == (alone, "no-reply@cityhall.localhost")
    assert "CityHall" not in subject + body
