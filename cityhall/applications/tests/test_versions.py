"""Publishing a form makes a new version; an application keeps the version it was made on."""

from __future__ import annotations

import pytest

from cityhall.applications import selectors, services
from cityhall.applications.models import FormField, FormVersion
from cityhall.applications.schema import SchemaInvalid, specs_of

pytestmark = pytest.mark.django_db


def test_editing_and_republishing_a_form_leaves_past_applications_unchanged(digital_services, people):
    records = digital_services["public-records"]
    before = services.application_start(records, applicant=people["resident"])
    schema_before = FormVersion.objects.get(pk=before.form_version.pk).schema

    question = FormField.objects.get(section__service=records, key="records")
    question.label_en = "What records do you need?"
    question.save()
    FormField.objects.filter(section__service=records, key="example").delete()
    services.form_publish(records, by=people["admin"])

    before.refresh_from_db()
    assert before.form_version.number == 1
    assert before.form_version.schema == schema_before
    assert "example" in {spec.key for spec in specs_of(before.form_version.schema)}
    after = services.application_start(records, applicant=people["resident"])
    assert after.form_version.number == 2
    labels = {spec.key: spec.label["en"] for spec in specs_of(after.form_version.schema)}
    assert labels["records"] == "What records do you need?" and "example" not in labels
    assert selectors.latest_version(records).number == 2


def test_a_form_that_is_not_coherent_is_not_published(digital_services):
    trees = digital_services["public-tree"]
    FormField.objects.filter(section__service=trees, key="other_reason").update(show_if_field="nowhere")
    with pytest.raises(SchemaInvalid, match="earlier field"):
        services.form_publish(trees, by=None)
    assert selectors.latest_version(trees).number == 1


def test_the_admin_edits_a_services_steps_beside_its_sections(digital_services, people):
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(people["admin"])
    block_party = digital_services["block-party"]
    page = client.get(reverse("admin:applications_digitalservice_change", args=[block_party.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for words in ("Transportation review", "Revisión de la policía", "Special events sign-off", "Supervisors only"):
        assert words in html
