"""The report form refuses what the request's bounds refuse, beside the field, in the resident's language."""

from __future__ import annotations

import pytest

from .report_helpers import counts, pothole_form

pytestmark = pytest.mark.django_db

# (the form field, a value it must refuse, what the resident reads: English, Spanish)
REFUSED = {
    "phone with letters": ("phone", "call me maybe", "Enter a phone number of 7 to 15 digits", "Escriba un número"),
    "phone over 32 characters": ("phone", "1" * 40, "at most 32 characters", "32 caracteres"),
    "email template": ("email", "{{7*7}}", "Enter a valid email address.", "correo electrónico válid"),
    "email none": ("email", "none", "Enter a valid email address.", "correo electrónico válid"),
    "name over 150 characters": ("name", "N" * 151, "at most 150 characters", "150 caracteres"),
    "address over 300 characters": ("address", "1 Main St " * 31, "at most 300 characters", "300 caracteres"),
    "description over 4000 characters": ("description", "x" * 4001, "at most 4000 characters", "4000 caracteres"),
}


@pytest.mark.parametrize(("language", "column"), [("en", 2), ("es", 3)])
@pytest.mark.parametrize("case", REFUSED)
def test_an_out_of_bounds_field_is_refused_beside_it_in_the_residents_language(client, service, case, language, column):
    field, value, *words = REFUSED[case]
    before = counts()
    response = client.post("/report/potholes", pothole_form(**{field: value}), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    page = response.content.decode()
    error = page.split(f'id="id_{field}_error"', 1)[1].split("</", 1)[0]
    assert words[column - 2] in error, error
    summary = page.split("data-error-summary", 1)[1].split("</div>", 1)[0]
    assert f'href="#id_{field}"' in summary
    assert counts() == before


def test_a_phone_as_people_write_it_is_taken(client, service):
    response = client.post("/report/potholes", pothole_form(phone="+1 (310) 458-8411", email="ana@example.org"))
    assert response.status_code == 302
