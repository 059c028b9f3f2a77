"""The report form over HTTP: every question type, validation, the boundary, anonymous or signed in, photos."""

from __future__ import annotations

import html
import re
from io import BytesIO

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cityhall.requests.models import ServiceRequest
from cityhall.requests.tests.builders import jpeg_with_gps, submit
from tests.maps import opens_on_the_city

from .report_helpers import CITY_HALL, DOWNTOWN_LA, counts, every_datatype_service, pothole_form

pytestmark = pytest.mark.django_db


def test_the_category_page_lists_public_active_categories_by_group_and_finds_them_by_keyword(client, service):
    page = client.get("/report").content.decode()
    assert "Potholes" in page and 'href="/report/potholes"' in page
    assert "Graffiti" in page  # a group heading
    assert "/report/public-records-request" not in page  # private categories are not offered
    found = client.get("/report", {"q": "pothole"}).content.decode()
    results = found.split("data-results-list", 1)[1].split("</ul>", 1)[0]
    assert "/report/potholes" in results and "/report/streetlights" not in results


def test_an_inactive_or_unknown_category_is_not_found(client, service):
    retired = service("streetlights")
    retired.active = False
    retired.save()
    assert client.get("/report/streetlights").status_code == 404
    assert client.get("/report/no-such-thing").status_code == 404


def test_every_open311_datatype_gets_its_own_control(client, santa_monica):
    every_datatype_service(santa_monica)
    page = client.get("/report/test-everything").content.decode()
    assert re.search(r'<input type="text" name="attr_WORDS"[^>]*maxlength="300"', page)
    assert re.search(r'<input type="number" name="attr_COUNT"[^>]*step="any"', page)
    assert re.search(r'<input type="datetime-local" name="attr_WHEN"', page)
    assert re.search(r'<textarea name="attr_STORY"', page)
    assert re.search(r'<input type="radio" name="attr_ONE" value="A"', page)
    assert re.search(r'<input type="checkbox" name="attr_MANY" value="B"', page)
    assert "Call 911 if anyone is hurt." in page  # an informational note, not a question


def test_all_answers_of_every_datatype_are_stored(client, santa_monica):
    every_datatype_service(santa_monica)
    answers = {
        "attr_WORDS": "blue door",
        "attr_COUNT": "3",
        "attr_WHEN": "2026-11-20T08:30",
        "attr_STORY": "It started last week.",
        "attr_ONE": "B",
        "attr_MANY": ["A", "B"],
    }
    response = client.post("/report/test-everything", pothole_form(attr_SIZE=None, **answers))
    assert response.status_code == 302
    stored = ServiceRequest.objects.get(service__code="test-everything").attributes
    assert stored["WORDS"] == "blue door" and stored["COUNT"] == 3 and stored["ONE"] == "B"
    assert stored["MANY"] == ["A", "B"] and stored["STORY"] == "It started last week."
    assert stored["WHEN"].startswith("2026-11-20T08:30")


def test_missing_and_malformed_answers_are_listed_linked_to_their_fields_and_nothing_is_written(client, santa_monica):
    every_datatype_service(santa_monica)
    before = counts()
    response = client.post("/report/test-everything", pothole_form(attr_SIZE=None, attr_COUNT="lots", attr_ONE="Z"))
    assert response.status_code == 400
    page = response.content.decode()
    summary = page.split("data-error-summary", 1)[1].split("</div>", 1)[0]
    for anchor in ("id_attr_WORDS", "id_attr_COUNT", "id_attr_WHEN", "id_attr_STORY", "id_attr_ONE", "id_attr_MANY"):
        assert f'href="#{anchor}"' in summary
    assert "Enter a number." in page
    assert 'aria-describedby="id_attr_COUNT_error"' in page and 'aria-invalid="true"' in page
    assert counts() == before


def summary_links(page: str) -> dict[str, list[str]]:
    """The error summary's lines by the id each links to, as a person reads them."""
    summary = page.split("data-error-summary", 1)[1].split("</div>", 1)[0]
    links: dict[str, list[str]] = {}
    for anchor, words in re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary):
        links.setdefault(anchor, []).append(html.unescape(words))
    return links


@pytest.mark.parametrize(
    ("language", "size", "where", "email"),
    [
        ("en", "How big is the pothole? This field is required.", "Tell us where:", "Email: "),
        ("es", "¿Qué tan grande es el bache? Este campo es obligatorio.", "Díganos dónde:", "Correo electrónico: "),
    ],
)
def test_each_line_of_the_error_summary_names_its_field_in_the_persons_language(
    client, service, language, size, where, email
):
    form = pothole_form(lat=None, lng=None, attr_SIZE=None, email="not an address")
    page = client.post("/report/potholes", form, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    links = summary_links(page)
    assert links["id_attr_SIZE"] == [size]  # a question ends its sentence: no "?:"
    [said_where] = links["id_address"]
    assert said_where.startswith(where)  # its words say what it is about: no field's name before them
    [said_email] = links["id_email"]
    assert said_email.startswith(email) and len(said_email) > len(email)


def test_an_anonymous_report_is_sent_remembered_on_the_device_and_confirmed(client, service):
    response = client.post("/report/potholes", pothole_form())
    created = ServiceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/report/sent/{created.public_id}"
    assert created.reporter is None and created.channel == "web" and created.language == "en"
    assert created.attributes == {"SIZE": "M"} and created.lat == CITY_HALL[0]
    pairs = signing.loads(client.cookies["cityhall_reports"].value, salt="cityhall.reports")
    assert pairs == [[created.public_id, created.tracking_token]]
    page = client.get(response["Location"]).content.decode()
    assert created.public_id in page
    assert f"/requests/{created.public_id}?token={created.tracking_token}" in page
    assert "aims to deal with it by" in page and "data-expected-by" in page  # the expected-by date from the SLA


def test_a_signed_in_report_belongs_to_the_account_and_its_link_carries_no_secret(client, people, service):
    client.force_login(people["resident"])
    response = client.post("/report/potholes", pothole_form())
    created = ServiceRequest.objects.get()
    assert created.reporter == people["resident"] and created.reporter_email == "resident@example.org"
    assert "cityhall_reports" not in response.cookies
    page = client.get(response["Location"]).content.decode()
    assert f'href="/requests/{created.public_id}"' in page and created.tracking_token not in page


def test_someone_else_cannot_open_the_confirmation(client, people, service):
    client.post("/report/potholes", pothole_form())
    created = ServiceRequest.objects.get()
    client.cookies.clear()
    assert client.get(f"/report/sent/{created.public_id}").status_code == 404
    client.force_login(people["other_resident"])
    assert client.get(f"/report/sent/{created.public_id}").status_code == 404


def test_a_place_outside_the_city_gets_a_kind_message_and_nothing_is_written(client, service):
    before = counts()
    response = client.post("/report/potholes", pothole_form(lat=DOWNTOWN_LA[0], lng=DOWNTOWN_LA[1]))
    assert response.status_code == 400
    assert "outside the City of Santa Monica, so the city can’t fix it" in response.content.decode()
    assert counts() == before
    checked = client.get("/report/place", {"service": "potholes", "lat": DOWNTOWN_LA[0], "lng": DOWNTOWN_LA[1]})
    assert "This place is outside the city" in checked.content.decode()


def test_an_address_or_a_described_place_is_enough_without_a_map(client, service):
    response = client.post("/report/potholes", pothole_form(lat=None, lng=None, address="1685 Main St"))
    assert response.status_code == 302
    response = client.post("/report/potholes", pothole_form(lat=None, lng=None, place_description="By the pier stairs"))
    assert response.status_code == 302
    assert sorted(ServiceRequest.objects.values_list("address", "location_description")) == [
        ("", "By the pier stairs"),
        ("1685 Main St", ""),
    ]


def test_no_place_at_all_is_refused(client, service):
    before = counts()
    response = client.post("/report/potholes", pothole_form(lat=None, lng=None))
    assert response.status_code == 400
    assert "Tell us where" in response.content.decode()
    assert counts() == before


def test_a_category_that_needs_contact_details_asks_for_them_unless_signed_in(client, people, service):
    contested = service("parking-citations-contesting")
    before = counts()
    response = client.post(f"/report/{contested.code}", pothole_form(attr_SIZE=None))
    assert response.status_code == 400 and "needs a way to contact you" in response.content.decode()
    assert counts() == before
    assert (
        client.post(f"/report/{contested.code}", pothole_form(attr_SIZE=None, email="me@example.org")).status_code
        == 302
    )
    client.force_login(people["resident"])
    assert client.post(f"/report/{contested.code}", pothole_form(attr_SIZE=None)).status_code == 302


def test_photos_are_stored_without_their_gps_data(client, service):
    photos = [
        SimpleUploadedFile("one.jpg", jpeg_with_gps(), content_type="image/jpeg"),
        SimpleUploadedFile("two.jpg", jpeg_with_gps((300, 200)), content_type="image/jpeg"),
    ]
    assert client.post("/report/potholes", pothole_form(photos=photos)).status_code == 302
    created = ServiceRequest.objects.get()
    assert created.attachments.count() == 2 and created.report_photo
    with created.attachments.first().image.open() as stored:
        assert not Image.open(BytesIO(stored.read())).getexif()


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_written(client, service):
    before = counts()
    fake = SimpleUploadedFile("invoice.jpg", b"%PDF-1.7 not a photo", content_type="image/jpeg")
    response = client.post("/report/potholes", pothole_form(photos=[fake]))
    assert response.status_code == 400
    assert "PDF" in response.content.decode() and 'href="#id_photos"' in response.content.decode()
    assert counts() == before


def test_the_report_is_taken_in_spanish_and_remembers_its_language(client, service):
    client.post("/i18n/setlang/", {"language": "es", "next": "/report"})
    refused = client.post("/report/potholes", pothole_form(attr_SIZE=None))
    page = refused.content.decode()
    assert '<html lang="es">' in page and "Hay un problema con su reporte" in page
    assert "Este campo es obligatorio." in page  # Django's own messages follow the language too
    outside = client.post("/report/potholes", pothole_form(lat=DOWNTOWN_LA[0], lng=DOWNTOWN_LA[1]))
    assert "Este lugar no está en la Ciudad de Santa Mónica" in outside.content.decode()
    assert client.post("/report/potholes", pothole_form()).status_code == 302
    assert ServiceRequest.objects.get().language == "es"


def test_the_service_worker_and_manifest_make_the_app_installable(client, santa_monica):
    worker = client.get("/sw.js")
    assert worker["Content-Type"].startswith("text/javascript")
    body = worker.content.decode()
    assert '"/report"' in body and "/static/citizen/offline.js" in body
    manifest = client.get("/manifest.webmanifest").json()
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}


def test_the_home_page_offers_reporting_first_recent_requests_and_finding_one_by_number(client, service):
    recent = submit(service("potholes"), contact=None)
    page = client.get("/").content.decode()
    assert page.index('href="/report"') < page.index(f'href="/requests/{recent.public_id}"')
    assert "someone@example.org" not in page  # reporters' details never on public pages
    assert client.get("/", {"id": f" #{recent.public_id} "})["Location"] == f"/requests/{recent.public_id}"
    assert client.get("/", {"id": "../admin"}).status_code == 200  # not a request number: stay here


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_report_map_opens_on_the_city_in_either_language(client, service, language):
    page = client.get("/report/potholes", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert opens_on_the_city(page)
