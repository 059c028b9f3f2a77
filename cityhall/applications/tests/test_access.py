"""Who may see an application: its applicant only (staff of the department get their door with approvals)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cityhall.applications import services

pytestmark = pytest.mark.django_db

PAGES = ("citizen:application_status", "citizen:application_edit", "citizen:application_review")


@pytest.fixture
def application(digital_services, people):
    return services.application_start(digital_services["public-records"], applicant=people["resident"])


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    ("who", "expected"),
    [("resident", {200, 302}), ("other_resident", {404}), ("staff", {404}), ("admin", {404}), (None, {302})],
)
def test_only_the_applicant_opens_an_application(application, people, page, who, expected):
    client = Client()
    if who:
        client.force_login(people[who])
    response = client.get(reverse(page, args=[application.reference]))
    assert response.status_code in expected
    if who is None:
        assert response.url.startswith("/accounts/login/")
    if who == "resident" and page != "citizen:application_review":
        assert response.status_code == 200


def test_another_persons_draft_cannot_be_written(application, people):
    client = Client()
    client.force_login(people["other_resident"])
    response = client.post(
        reverse("citizen:application_edit", args=[application.reference]), {"records": "All the emails of the mayor"}
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.answers == {}


def test_my_applications_lists_only_mine(application, people, digital_services):
    theirs = services.application_start(digital_services["public-tree"], applicant=people["other_resident"])
    client = Client()
    client.force_login(people["resident"])
    page = client.get(reverse("citizen:my_applications")).content.decode()
    assert application.reference in page and theirs.reference not in page
    assert "Public records request" in page
    spanish = client.get(reverse("citizen:my_applications"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Mis trámites" in spanish and "Solicitud de registros públicos" in spanish
