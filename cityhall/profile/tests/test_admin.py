"""What the city admin sees: the retention period on the jurisdiction, and the record of erasures."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.core import clock
from cityhall.profile.models import Erasure

pytestmark = pytest.mark.django_db


def test_the_admin_sets_the_retention_period_on_the_city(client, people, santa_monica):
    client.force_login(people["admin"])
    url = reverse("admin:catalogue_jurisdiction_change", args=[santa_monica.pk])
    page = client.get(url).content.decode()
    assert 'name="anonymise_after_days"' in page and "Empty: keep them." in page


def test_erasures_are_listed_read_only_without_whose_they_were(client, people):
    Erasure.objects.create(reason=Erasure.Reason.ACCOUNT_DELETED, erased_at=clock.now(), requests_anonymised=3)
    client.force_login(people["admin"])
    page = client.get(reverse("admin:profile_erasure_changelist")).content.decode()
    assert "The resident deleted their account" in page
    assert client.get(reverse("admin:profile_erasure_add")).status_code == 403
