"""One rule for free text everywhere the public reads it: the site, Open311 and open data hide contacts.

The requester and staff still read what was written.
"""

from __future__ import annotations

import pytest

from .conftest import REPORTER, WRITTEN_CONTACTS

pytestmark = pytest.mark.django_db
CONTACTS = [*WRITTEN_CONTACTS, REPORTER["email"], REPORTER["phone"], REPORTER["name"]]
DESCRIPTION_START = "Deep pothole by the bus stop. Email me at … or call …"


def shows_contacts(text: str) -> list[str]:
    return [contact for contact in CONTACTS if contact in text]


@pytest.mark.parametrize(
    "path",
    [
        "/open311/v2/requests.json?extensions=true",
        "/open311/v2/requests/{id}.json?extensions=true",
        "/open311/v2/servicerequestupdates.json",
        "/requests",
        "/requests/{id}",
        "/requests/{id}/live",
        "/requests/map.json",
    ],
)
def test_the_public_reads_no_contacts(personal_city, client, path):
    response = client.get(path.format(id=personal_city.public.public_id))

    assert response.status_code == 200
    text = response.content.decode()
    assert not shows_contacts(text)


def test_open311_gives_the_public_description(personal_city, client):
    found = client.get(f"/open311/v2/requests/{personal_city.public.public_id}.json").json()[0]

    assert found["description"].startswith(DESCRIPTION_START)


@pytest.mark.parametrize("reader", ["requester", "agent"])
def test_the_requester_and_staff_read_the_original(personal_city, client, people, reader):
    account = personal_city.public.reporter if reader == "requester" else people["agent"]
    client.force_login(account)

    text = client.get(f"/requests/{personal_city.public.public_id}").content.decode()

    assert WRITTEN_CONTACTS[0] in text and REPORTER["phone"] in text
