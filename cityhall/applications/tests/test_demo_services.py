"""The demo's three Santa Monica services: published once, in both languages, with sample applications."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cityhall.applications import selectors
from cityhall.applications.models import Status
from cityhall.demo.applications import create_sample_applications, load_digital_services

pytestmark = pytest.mark.django_db


def test_the_demo_resident_has_submitted_applications_and_a_draft(digital_services, santa_monica, people):
    resident = people["resident"]
    assert create_sample_applications(resident) == 3
    load_digital_services(santa_monica)  # the demo loader runs again: nothing changed, nothing republished
    assert {selectors.latest_version(service).number for service in digital_services.values()} == {1}
    statuses = {row.service.code: row.status for row in selectors.applications_of(resident)}
    submitted, draft = Status.SUBMITTED, Status.DRAFT
    assert statuses == {"public-records": submitted, "public-tree": submitted, "block-party": draft}

    client = Client()
    client.force_login(resident)
    page = client.get(reverse("citizen:apply_list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    for name in ("Permiso para fiesta de cuadra", "Solicitud de registros públicos", "Poda o retiro de un árbol"):
        assert name in page
