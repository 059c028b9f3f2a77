"""Issue 18, finding 1: a posted field out of its bounds is refused by name with an Open311 400.

A field longer than its column, or not the shape it must be, is refused before anything is written
(on PostgreSQL it used to reach the database and answer an HTML 500; SQLite stored it as sent).
"""

from __future__ import annotations

import pytest

from cityhall.requests.models import ServiceRequest

from .helpers import BASE, FORMATS, assert_error, created_id, nothing_written, report

pytestmark = pytest.mark.django_db

# (the parameter, a value it must refuse, the field the error must name)
REFUSED = {
    "phone over 32 characters": ("phone", "1" * 40, "phone"),
    "phone of 5,000 characters": ("phone", "1" * 5000, "phone"),
    "phone with letters": ("phone", "call me maybe", "phone"),
    "phone with too few digits": ("phone", "12", "phone"),
    "email over 254 characters": ("email", "a" * 250 + "@example.org", "email"),
    "email template": ("email", "{{7*7}}", "email"),
    "email -1": ("email", "-1", "email"),
    "email none": ("email", "none", "email"),
    "address_id over 64 characters": ("address_id", "A" * 65, "address_id"),
    "address_string over 300 characters": ("address_string", "1 Main St " * 31, "address_string"),
    "first_name over 150 characters": ("first_name", "F" * 151, "first_name/last_name"),
    "last_name over 150 characters": ("last_name", "L" * 151, "first_name/last_name"),
    "device_id over 120 characters": ("device_id", "d" * 121, "device_id"),
    "account_id over 120 characters": ("account_id", "a" * 121, "account_id"),
    "media_url over 1000 characters": ("media_url", "https://example.org/" + "p" * 1000, "media_url"),
    "media_url not http": ("media_url", "javascript:alert(1)", "media_url"),
    "description over 4000 characters": ("description", "x" * 4001, "description"),
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", REFUSED)
def test_a_field_out_of_bounds_is_refused_by_name_and_nothing_is_written(client, key, case, fmt):
    name, value, field = REFUSED[case]
    before = ServiceRequest.objects.count()
    with nothing_written():
        descriptions = assert_error(
            client.post(f"{BASE}requests.{fmt}", report(api_key=key, **{name: value})), 400, fmt
        )
    assert ServiceRequest.objects.count() == before
    assert any(text.startswith(f"{field}: ") for text in descriptions), descriptions


def test_every_bad_field_is_named_at_once(client, key):
    form = report(api_key=key, phone="1" * 40, email="none", address_id="A" * 65)
    descriptions = assert_error(client.post(f"{BASE}requests.json", form), 400, "json")
    assert {text.split(":")[0] for text in descriptions} >= {"phone", "email", "address_id"}


def test_fields_at_their_limits_are_kept_as_sent(client, key):
    fields = {
        "phone": "+1 (310) 458-8411",
        "email": "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + ".org",
        "address_id": "A" * 64,
        "first_name": "F" * 75,
        "last_name": "L" * 74,
        "device_id": "d" * 120,
        "account_id": "a" * 120,
        "description": "x" * 4000,
    }
    created = ServiceRequest.objects.get(
        public_id=created_id(client.post(f"{BASE}requests.json", report(api_key=key, **fields)))
    )
    assert (created.reporter_phone, created.reporter_email, created.address_id) == (
        fields["phone"],
        fields["email"],
        fields["address_id"],
    )
    assert (len(created.reporter_name), created.device_id, created.account_id) == (150, "d" * 120, "a" * 120)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_update_over_4000_characters_is_refused(client, key, fmt):
    public_id = created_id(client.post(f"{BASE}requests.json", report(api_key=key)))
    form = {"api_key": key, "service_request_id": public_id, "description": "x" * 4001}
    with nothing_written():
        descriptions = assert_error(client.post(f"{BASE}servicerequestupdates.{fmt}", form), 400, fmt)
    assert descriptions[0].startswith("description: "), descriptions
