"""Error pages come in the site's frame and the person's language, with a way on; never Django's bare page."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ERROR_URLS = "cityhall.citizen.tests.error_urls"


def page(path: str, language: str = "en", **client_options: object):
    client = Client(HTTP_ACCEPT_LANGUAGE=language, raise_request_exception=False, **client_options)
    return client.get(path)


def assert_in_the_site_frame(response, language: str) -> str:
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert f'<html lang="{language}">' in html
    assert 'name="viewport"' in html  # phone width, not 980 px
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert 'href="/"' in html  # a way back
    return html


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Page not found"), ("es", "Página no encontrada")], ids=["en", "es"]
)
def test_an_unknown_address_gets_the_site_s_not_found_page_in_the_person_s_language(santa_monica, language, heading):
    response = page("/no-such-page", language)
    assert response.status_code == 404
    html = assert_in_the_site_frame(response, language)
    assert f"<h1>{heading}</h1>" in html
    assert "<h1>Not Found</h1>" not in html


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_mistyped_request_number_offers_the_lookup_form_again_with_the_number_typed(santa_monica, language):
    response = page("/requests/00000000", language)
    assert response.status_code == 404
    html = assert_in_the_site_frame(response, language)
    expected = {"en": "We could not find request 00000000", "es": "No encontramos la solicitud 00000000"}
    assert f"<h1>{expected[language]}</h1>" in html
    assert 'name="id"' in html and 'value="00000000"' in html  # "Check the number": one edit away


def test_the_home_page_lookup_of_a_missing_number_ends_on_that_page(santa_monica):
    response = Client().get("/", {"id": "12345678"}, follow=True)
    assert response.status_code == 404
    assert "We could not find request 12345678" in response.content.decode()


@pytest.mark.urls(ERROR_URLS)
@pytest.mark.parametrize(
    ("status", "language", "heading"),
    [
        (400, "en", "We could not read that"),
        (400, "es", "No pudimos leer eso"),
        (403, "en", "You cannot open this page"),
        (403, "es", "No puede abrir esta página"),
        (500, "en", "Something went wrong on our side"),
        (500, "es", "Algo salió mal de nuestra parte"),
    ],
)
def test_refused_and_failed_pages_are_in_the_site_frame(santa_monica, status, language, heading):
    response = page(f"/test-errors/{status}", language)
    assert response.status_code == status
    html = assert_in_the_site_frame(response, language)
    assert f"<h1>{heading}</h1>" in html


def test_an_expired_form_says_what_to_do_in_the_site_frame(santa_monica):
    response = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="es").post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403
    html = assert_in_the_site_frame(response, "es")
    assert "<h1>Este formulario ha caducado</h1>" in html


@pytest.mark.urls(ERROR_URLS)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_fault_under_open311_is_an_open311_error_in_the_asked_format_not_a_page(santa_monica, fmt):
    response = page(f"/open311/v2/test-errors/500.{fmt}")
    assert response.status_code == 500
    assert response["Content-Type"].startswith(f"application/{fmt}") or response["Content-Type"].startswith(
        f"text/{fmt}"
    )
    assert b"<html" not in response.content and b"the failure has been logged" in response.content
