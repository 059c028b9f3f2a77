"""Account emails name the city the site serves, chosen as every page's is (CITYHALL_SITE_CITY): a second
city's site sends its codes under that city's name, in the reader's language, over real SMTP."""

from __future__ import annotations

import pytest
from django.test import Client

from cityhall.catalogue.models import Jurisdiction
from tests.smtp import sender_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def culver_city(santa_monica, settings) -> Jurisdiction:
    settings.CITYHALL_SITE_CITY = "culvercity.org"
    settings.DEFAULT_FROM_EMAIL = "no-reply@culvercity.org"
    return Jurisdiction.objects.create(
        name_en="City of Culver City",
        name_es="Ciudad de Culver City",
        jurisdiction_id="culvercity.org",
        boundary=santa_monica.boundary,
    )


@pytest.mark.parametrize(("language", "city"), [("en", "City of Culver City"), ("es", "Ciudad de Culver City")])
def test_a_second_citys_site_sends_account_emails_in_its_name(culver_city, people, smtp, language, city):
    Client(headers={"accept-language": language}).post("/accounts/login/code/", {"email": "resident@example.org"})
    (message,) = smtp.received
    assert sender_of(message) == (city, "no-reply@culvercity.org")
    # A non-ASCII subject is folded onto its own line ("Subject: \n =?utf-8?…"); a mail app drops the fold.
    assert message["Subject"].strip().startswith(f"{city}: ")
    assert city in message.get_body().get_content()  # the body, from the page frame's context, agrees
    assert "Santa Monica" not in str(message)
