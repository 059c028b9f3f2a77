"""What a government site owes residents on every page: the city's name, the official banner, "call 911",
and a footer with contact, privacy, accessibility and language."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cityhall.catalogue.models import Jurisdiction
from cityhall.core.ttl_cache import clear_all_caches

pytestmark = pytest.mark.django_db

FRAME_PAGES = ["/", "/report", "/report/potholes", "/requests", "/contact", "/privacy", "/accessibility"]


def get(path: str, language: str = "en") -> str:
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get(path)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.mark.parametrize("path", FRAME_PAGES)
def test_every_page_speaks_for_the_city_with_the_official_banner_and_the_footer(santa_monica, path):
    html = get(path)
    assert "An official website of the City of Santa Monica" in html
    assert '<a class="site-name" href="/">' in html and "City of Santa Monica</a>" in html
    assert "· City of Santa Monica</title>" in html or "City of Santa Monica: report a problem</title>" in html
    assert "· CityHall</title>" not in html  # the product's name only as "powered by"
    assert "Powered by CityHall" in html
    for link in ('href="/contact"', 'href="/privacy"', 'href="/accessibility"'):
        assert link in html
    assert "In an emergency, call 911." in html


def test_the_frame_is_spanish_for_a_spanish_speaker(santa_monica):
    html = get("/privacy", "es")
    assert "Un sitio web oficial de la Ciudad de Santa Mónica" in html
    assert "<h1>Aviso de privacidad</h1>" in html
    assert "En una emergencia, llame al 911." in html
    assert ">Contactar a la ciudad</a>" in html and ">Accesibilidad</a>" in html


@pytest.mark.parametrize(("path", "language"), [("/", "en"), ("/report", "en"), ("/", "es"), ("/report", "es")])
def test_home_and_report_pages_say_call_911(santa_monica, path, language):
    text = {"en": "If someone is in danger or a crime is happening, call 911.", "es": "llame al 911."}
    html = get(path, language)
    assert "data-emergency-notice" in html and text[language] in html


def test_an_urgent_category_puts_call_911_first_and_an_ordinary_one_keeps_the_quiet_line(santa_monica, service):
    assert service("fire-hazards").urgent and not service("potholes").urgent
    urgent = get("/report/fire-hazards")
    assert "Is someone in danger?" in urgent and "call 911 now" in urgent
    assert urgent.index("data-emergency-notice") < urgent.index('<form method="post"')
    ordinary = get("/report/potholes")
    assert "Is someone in danger?" not in ordinary and "data-emergency-notice" in ordinary


def test_contact_page_gives_the_city_s_own_contacts(santa_monica):
    html = get("/contact")
    assert 'href="tel:3104588411"' in html and "(310) 458-8411" in html
    assert "1685 Main Street, Santa Monica, CA 90401" in html
    assert 'href="https://www.santamonica.gov"' in html


def test_privacy_notice_states_the_city_s_own_erasure_period(santa_monica):
    Jurisdiction.objects.filter(pk=santa_monica.pk).update(anonymise_after_days=365)
    clear_all_caches()
    assert "erased from a request 365 days after it closes" in get("/privacy")


def test_a_city_s_name_and_logo_set_in_the_admin_replace_the_product_s(santa_monica, settings):
    santa_monica.name, santa_monica.name_es = "City of Example", "Ciudad de Ejemplo"
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
        b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    santa_monica.logo = SimpleUploadedFile("seal.png", png, content_type="image/png")
    santa_monica.save()
    clear_all_caches()
    html = get("/")
    assert "City of Example</a>" in html and "An official website of the City of Example" in html
    assert "Un sitio web oficial de la Ciudad de Ejemplo" in get("/", "es")  # the article is the phrase's
    assert f'<img src="{settings.MEDIA_URL}city/seal' in html
    logo = Client().get(Jurisdiction.objects.get(pk=santa_monica.pk).logo.url)  # served to everyone
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"


def test_robots_txt_keeps_crawlers_to_the_public_site(santa_monica, service):
    from cityhall.requests.tests.builders import submit

    answer = Client().get("/robots.txt")
    assert answer.status_code == 200 and answer["Content-Type"] == "text/plain; charset=utf-8"
    rules = [line for line in answer.content.decode().splitlines() if line and not line.startswith("#")]
    assert rules[0] == "User-agent: *"
    closed = {line.removeprefix("Disallow: ") for line in rules[1:]}
    # A person's pages, the staff's and the machines' are closed, each of them a real address of the site.
    for path in ("/staff/", "/admin/", "/accounts/login/", "/my-requests", "/open311/v2/services.json"):
        assert any(path.startswith(prefix) for prefix in closed), path
    # The public pages stay open: the front door, reporting, the city's requests and one of them, open data.
    request = submit(service("potholes"))
    for path in ("/", "/report", "/requests", f"/requests/{request.public_id}", "/data/", "/apply"):
        assert Client().get(path).status_code == 200, path
        assert not any(path.startswith(prefix) for prefix in closed), path


@pytest.mark.parametrize(
    ("path", "english", "spanish"),
    [
        ("/", "Report it to the City of Santa Monica in under a minute", "Avise a la Ciudad de Santa Mónica en menos"),
        ("/privacy", "What the City of Santa Monica keeps", "Qué guarda la Ciudad de Santa Mónica"),
        ("/accessibility", "The City of Santa Monica wants everyone", "La Ciudad de Santa Mónica quiere"),
    ],
)
def test_the_city_s_name_reads_with_its_article_in_both_languages(santa_monica, path, english, spanish):
    assert english in get(path) and spanish in get(path, "es")


@pytest.mark.parametrize(
    ("path", "english", "spanish"),
    [
        ("/", "Report it to the city in under a minute", "Avise a la ciudad en menos"),
        ("/privacy", "What the city keeps", "Qué guarda la ciudad"),
        ("/accessibility", "The city wants everyone", "La ciudad quiere"),
    ],
)
def test_with_no_city_set_up_the_pages_say_the_city_and_never_the_product(
    santa_monica, settings, path, english, spanish
):
    settings.CITYHALL_SITE_CITY = "nowhere.example"  # names no jurisdiction: the site has no city set up
    frame = {
        "en": (english, "An official website of the city", "City services"),
        "es": (spanish, "Un sitio web oficial de la ciudad", "Servicios municipales"),
    }
    for language, (phrase, banner, alone) in frame.items():
        html = get(path, language)
        assert phrase in html and banner in html and f"{alone}</a>" in html, language
        assert "CityHall" not in html[: html.index("<footer")]  # the footer's "Powered by CityHall" stays


@pytest.mark.parametrize(
    ("language", "name", "short_name"),
    [("en", "City of Santa Monica", "Santa Monica"), ("es", "Ciudad de Santa Mónica", "Santa Mónica")],
)
def test_the_installed_app_is_labelled_with_the_city(santa_monica, language, name, short_name):
    manifest = Client(headers={"accept-language": language}).get("/manifest.webmanifest").json()
    assert (manifest["name"], manifest["short_name"]) == (name, short_name)
    assert len(manifest["short_name"]) <= 12  # what a home screen shows under the icon without cutting it


def test_with_no_short_name_or_no_city_the_app_is_labelled_with_the_name_alone(santa_monica, settings):
    Jurisdiction.objects.filter(pk=santa_monica.pk).update(short_name="", short_name_en="", short_name_es="")
    clear_all_caches()
    assert Client().get("/manifest.webmanifest").json()["short_name"] == "City of Santa Monica"
    settings.CITYHALL_SITE_CITY = "nowhere.example"
    manifest = Client(headers={"accept-language": "es"}).get("/manifest.webmanifest").json()
    assert (manifest["name"], manifest["short_name"]) == ("Servicios municipales", "Servicios municipales")


@pytest.fixture
def county(santa_monica, settings) -> Jurisdiction:
    """A site whose city's name is masculine in Spanish, as the admin sets it."""
    found = Jurisdiction.objects.create(
        name="County of Los Angeles",
        name_es="Condado de Los Ángeles",
        name_gender="masculine",
        jurisdiction_id="lacounty.gov",
        boundary=santa_monica.boundary,
    )
    settings.CITYHALL_SITE_CITY = found.jurisdiction_id
    return found


@pytest.mark.parametrize(
    ("path", "english", "spanish"),
    [
        ("/", "Report it to the County of Los Angeles in under", "Avise al Condado de Los Ángeles en menos"),
        ("/", "An official website of the County of Los Angeles", "Un sitio web oficial del Condado de Los Ángeles"),
        ("/privacy", "What the County of Los Angeles keeps", "Qué guarda el Condado de Los Ángeles"),
        ("/accessibility", "The County of Los Angeles wants", "El Condado de Los Ángeles quiere"),
    ],
)
def test_a_masculine_name_takes_its_own_article_and_fuses_it_in_spanish(county, path, english, spanish):
    assert english in get(path)
    page = get(path, "es")
    assert spanish in page
    assert not re.search(r"\b(la|de el|a el) Condado", page)
