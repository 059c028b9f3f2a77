"""Inside a sentence the city reads with its article ("Stop emails from the City of Santa Monica", "de la
Ciudad de Santa Mónica"); a site with no city set up says "the city" there and "City services" where the
name stands alone, never the product's name (core/city_names.py). Read from what the SMTP server received
and from the pages, in English and Spanish."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from cityhall.catalogue.models import Jurisdiction
from cityhall.core import clock
from cityhall.requests.tests.builders import OCEAN_PARK, submit
from tests.smtp import sender_of

from ..links import unsubscribe_link
from ..models import Channel
from ..services.digests import digest_day
from ..tasks import send_daily_digests
from .helpers import html_of, subject_of, text_of

pytestmark = pytest.mark.django_db

NO_CITY = "nowhere.example"  # names no jurisdiction: the site has no city set up
ATOM = "{http://www.w3.org/2005/Atom}"
COUNTY = "lacounty.gov"  # a city whose name is masculine in Spanish: "el Condado", "del Condado", "al Condado"


def _county(santa_monica: Jurisdiction) -> None:
    Jurisdiction.objects.create(
        name="County of Los Angeles",
        name_es="Condado de Los Ángeles",
        name_gender="masculine",
        jurisdiction_id=COUNTY,
        boundary=santa_monica.boundary,
    )


@pytest.mark.parametrize(
    ("language", "asked", "done"),
    [
        ("en", "Stop messages from the County of Los Angeles", "The County of Los Angeles will send no more emails"),
        ("es", "No recibir más mensajes del Condado de Los Ángeles", "El Condado de Los Ángeles no enviará más"),
    ],
)
def test_the_unsubscribe_pages_give_a_masculine_name_its_own_article(santa_monica, settings, language, asked, done):
    _county(santa_monica)
    settings.CITYHALL_SITE_CITY = COUNTY
    path = urlsplit(unsubscribe_link(Channel.EMAIL, "someone@example.org")).path
    browser = Client(headers={"accept-language": language})
    assert f"<h1>{asked}</h1>" in browser.get(path).content.decode()
    assert done in browser.post(path).content.decode()


@pytest.mark.parametrize(
    ("language", "site_city", "subject", "stop", "alone"),
    [
        ("en", "", "Your digest from the City of Santa Monica: 1 update",
         "Stop emails from the City of Santa Monica", "City of Santa Monica"),
        ("es", "", "Su resumen de la Ciudad de Santa Mónica: 1 novedad",
         "No recibir más correos de la Ciudad de Santa Mónica", "Ciudad de Santa Mónica"),
        ("en", NO_CITY, "Your digest from the city: 1 update", "Stop emails from the city", "City services"),
        ("es", NO_CITY, "Su resumen de la ciudad: 1 novedad", "No recibir más correos de la ciudad",
         "Servicios municipales"),
    ],
)  # fmt: skip
def test_a_digest_names_the_site_s_city_with_its_article(
    people, service, smtp, committed, settings, language, site_city, subject, stop, alone
):
    settings.CITYHALL_SITE_CITY = site_city
    settings.DEFAULT_FROM_EMAIL = "no-reply@santamonica.gov"
    resident = people["resident"]
    resident.language = language
    resident.save(update_fields=["language"])
    browser = Client()
    browser.force_login(resident)
    browser.post("/notifications/preferences", {"channel": "email", "delivery": "daily", "topics": ["receipt"]})
    with committed():
        submit(service("potholes"), reporter=resident)
    with clock.travel(digest_day(timezone.now()).cut + timedelta(days=1, minutes=5)):
        send_daily_digests.call()
    (digest,) = smtp.to(resident.email)
    text, html = text_of(digest), html_of(digest)
    assert subject_of(digest) == subject
    assert f"{stop}: https://" in text and f">{stop}</a>" in html
    assert sender_of(digest) == (alone, "no-reply@santamonica.gov") and f"<title>{alone}</title>" in html
    assert "CityHall" not in subject + text + html


@pytest.mark.parametrize(
    ("language", "asked", "done"),
    [
        ("en", "Stop messages from the city", "The city will send no more emails to this address."),
        ("es", "No recibir más mensajes de la ciudad", "La ciudad no enviará más correos a esta dirección."),
    ],
)
def test_with_no_city_set_up_the_unsubscribe_pages_say_the_city(db, settings, language, asked, done):
    settings.CITYHALL_SITE_CITY = NO_CITY
    path = urlsplit(unsubscribe_link(Channel.EMAIL, "someone@example.org")).path
    browser = Client(headers={"accept-language": language})
    html = browser.get(path).content.decode()
    assert f"<h1>{asked}</h1>" in html
    html = browser.post(path).content.decode()
    assert done in html
    page = html[: html.index("<footer")]  # the footer says "Powered by CityHall", rightly
    assert "CityHall" not in page


@pytest.mark.parametrize(
    ("language", "site_city", "title"),
    [
        ("en", "", "Requests to the City of Santa Monica: 250 m around"),
        ("es", "", "Solicitudes a la Ciudad de Santa Mónica: 250 m alrededor de"),
        ("en", NO_CITY, "Requests to the city: 250 m around"),
        ("es", NO_CITY, "Solicitudes a la ciudad: 250 m alrededor de"),
        ("en", COUNTY, "Requests to the County of Los Angeles: 250 m around"),
        ("es", COUNTY, "Solicitudes al Condado de Los Ángeles: 250 m alrededor de"),
    ],
)
def test_an_area_feed_is_titled_with_the_city(santa_monica, settings, language, site_city, title):
    _county(santa_monica)
    settings.CITYHALL_SITE_CITY = site_city
    near = f"/notifications/areas/near/feed.atom?lat={OCEAN_PARK[0]}&lng={OCEAN_PARK[1]}&radius_m=250"
    feed = ET.fromstring(Client(headers={"accept-language": language}).get(near).content)
    assert feed.findtext(f"{ATOM}title", "").startswith(title)
