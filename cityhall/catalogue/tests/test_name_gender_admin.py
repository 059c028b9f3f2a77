"""The city admin sets the grammatical gender of the city's name in the admin, in their own language."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.parametrize(
    ("language", "label", "masculine"),
    [
        ("en", "Grammatical gender of the name", "Masculine: el Condado de …, del Condado de …"),
        ("es", "Género gramatical del nombre", "Masculino: el Condado de …, del Condado de …"),
    ],
)
def test_the_admin_offers_the_name_s_gender_in_the_admin_s_language(people, santa_monica, language, label, masculine):
    admin = Client(headers={"accept-language": language})
    admin.force_login(people["admin"])  # the people fixture's staff have a second factor
    page = admin.get(f"/admin/catalogue/jurisdiction/{santa_monica.pk}/change/").content.decode()
    assert f">{label}:</label>" in page and f">{masculine}</option>" in page
    assert 'value="feminine" selected' in page  # Santa Monica: "la Ciudad", "de la Ciudad"
