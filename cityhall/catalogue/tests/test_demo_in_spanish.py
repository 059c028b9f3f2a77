"""The Santa Monica demo's whole catalogue reads in Spanish: no category, group, department, question
or answer falls back to English for a Spanish reader (a sample would miss the one forgotten)."""

from __future__ import annotations

import pytest

from cityhall.catalogue.models import AttributeValue, Department, Service, ServiceAttribute, ServiceGroup

pytestmark = pytest.mark.django_db


def test_every_row_of_the_demo_catalogue_has_its_spanish_words(santa_monica):
    rows = {
        "category": list(Service.objects.filter(jurisdiction=santa_monica).values_list("code", "name_es")),
        "group": list(ServiceGroup.objects.filter(jurisdiction=santa_monica).values_list("name", "name_es")),
        "department": list(Department.objects.filter(jurisdiction=santa_monica).values_list("name", "name_es")),
        "question": list(
            ServiceAttribute.objects.filter(service__jurisdiction=santa_monica).values_list("code", "description_es")
        ),
        "answer": list(
            AttributeValue.objects.filter(attribute__service__jurisdiction=santa_monica).values_list("key", "name_es")
        ),
    }
    assert len(rows["category"]) == 197
    missing = {kind: [key for key, spanish in found if not spanish] for kind, found in rows.items()}
    assert missing == {kind: [] for kind in rows}
