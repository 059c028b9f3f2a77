"""The demo's three Santa Monica services: published once, in both languages, with sample applications."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cityhall.applications import selectors
from cityhall.applications.models import Status
from cityhall.demo.applications import create_sample_applications, load_digital_services

pytestmark = pytest.mark.django_db


def test_the_demo_resident_has_applications_in_review_and_a_draft(digital_services, santa_monica, people):
    resident = people["resident"]
    assert create_sample_applications(resident) == 3
    load_digital_services(santa_monica)  # the demo loader runs again: nothing changed, nothing republished
    assert {selectors.latest_version(service).number for service in digital_services.values()} == {1}
    statuses = {row.service.code: row.status for row in selectors.applications_of(resident)}
    in_review, draft = Status.IN_REVIEW, Status.DRAFT
    assert statuses == {"public-records": in_review, "public-tree": in_review, "block-party": draft}

    client = Client()
    client.force_login(resident)
    page = client.get(reverse("citizen:apply_list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    for name in ("Permiso para fiesta de cuadra", "Solicitud de registros públicos", "Poda o retiro de un árbol"):
        assert name in page


def test_the_demo_services_have_their_review_steps(digital_services):
    """Block party: Transportation ∥ Police, then Special events; records: Clerk, then Attorney; tree: forester."""
    from cityhall.applications.schema import steps_of

    expected = {
        "block-party": [
            (1, "Transportation review", "planning-community-development", "staff"),
            (1, "Police review", "police", "staff"),
            (2, "Special events sign-off", "community-cultural-services", "supervisor"),
        ],
        "public-records": [
            (1, "City Clerk review", "city-clerk", "staff"),
            (2, "City Attorney review", "city-attorney", "staff"),
        ],
        "public-tree": [(1, "Urban forester review", "public-works", "staff")],
    }
    from cityhall.catalogue.models import Department

    slugs = dict(Department.objects.values_list("pk", "slug"))
    for code, steps in expected.items():
        published = steps_of(selectors.latest_version(digital_services[code]).schema)
        assert [(s.stage, s.name["en"], slugs[s.department_id], s.role) for s in published] == steps
        assert all(s.name["es"] for s in published)
