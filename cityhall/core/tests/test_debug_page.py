"""Django's debug page (DEBUG on, a developer's machine) never prints the seal's PIN, in the settings
or in the request's environment, which `runserver` fills from the process's."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

PIN = "493817"


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("fails/", fails)]


@pytest.mark.urls(__name__)
def test_the_debug_page_hides_the_seal_s_pin(settings):
    settings.DEBUG = True
    settings.CITYHALL_SIGNING_SEAL_PKCS11_PIN = PIN
    response = Client(raise_request_exception=False).get(
        "/fails/", CITYHALL_SIGNING_SEAL_PKCS11_PIN=PIN, HTTP_ACCEPT="text/html"
    )
    page = response.content.decode()
    assert response.status_code == 500
    assert "CITYHALL_SIGNING_SEAL_PKCS11_PIN" in page  # the page lists it: it shows the setting, hidden
    assert PIN not in page
