"""The demo's three Santa Monica services: published once, in both languages, with sample applications."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cityhall.accounts.roles import Role
from cityhall.applications import selectors
from cityhall.applications.models import Application, Channel, Status
from cityhall.demo.application_cases import create_sample_applications
from cityhall.demo.applications import load_digital_services
from cityhall.documents.selectors import documents_about

pytestmark = pytest.mark.django_db


def test_the_demo_has_applications_in_every_state_and_signed_decisions(digital_services, santa_monica, people):
    demo_people = {Role.RESIDENT: people["resident"], Role.AGENT: people["agent"]}
    assert create_sample_applications(demo_people) == 10
    assert create_sample_applications(demo_people) == 0  # the loader runs again: nothing twice
    load_digital_services(santa_monica)  # nothing changed, nothing republished
    assert {selectors.latest_version(service).number for service in digital_services.values()} == {1}
    assert set(Application.objects.values_list("status", flat=True)) == {
        Status.DRAFT, Status.IN_REVIEW, Status.INFO_REQUESTED, Status.APPROVED, Status.DENIED, Status.WITHDRAWN,
        Status.EXPIRED,
    }  # fmt: skip
    assert Application.objects.filter(channel=Channel.PAPER, status=Status.IN_REVIEW).exists()
    resident = people["resident"]
    statuses = {row.service.code: row.status for row in selectors.applications_of(resident)}
    assert statuses == {"block-party": Status.APPROVED, "public-records": Status.INFO_REQUESTED,
                        "public-tree": Status.DRAFT}  # fmt: skip

    # Every decision has its document: each approver's signature, then the city's seal, valid against the root.
    for application in Application.objects.filter(status__in=(Status.APPROVED, Status.DENIED)):
        document = documents_about(f"application:{application.reference}").get()
        signers = [row.signer_name for row in document.signatures.order_by("signed_at", "pk")]
        assert signers[-1] == document.signatures.get(is_seal=True).signer_name and len(signers) >= 2
    party = Application.objects.get(applicant=resident, service__code="block-party")
    permit = documents_about(f"application:{party.reference}").get()
    assert [row.signer_name for row in permit.signatures.filter(is_seal=False).order_by("signed_at", "pk")] == [
        "Tomás Rivera (Mobility)", "Paula Chen (Police)", "Elena Brooks (Special Events)",
    ]  # fmt: skip
    client = Client()
    verified = client.get(reverse("documents:verify_number", args=[permit.number])).content.decode()
    assert "Elena Brooks (Special Events)" in verified

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
