"""A request logged for a caller: the address they give is placed on the map, like a resident's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.requests.models import ServiceRequest
from tests.maps import opens_on_the_city

pytestmark = pytest.mark.django_db


def test_the_callers_address_is_placed_zoned_and_shown_with_its_neighborhood(client, people, service):
    client.force_login(people["agent"])
    form = {"channel": "phone", "service": service("potholes").pk, "address": "2601 main street"}
    response = client.post(
        reverse("staff:log_for_caller"), form | {"caller_phone": "310-555-0100", "attribute[SIZE]": "M"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = ServiceRequest.objects.get()
    assert created.address == "2601 Main St" and created.lat is not None and created.zone.name == "Ocean Park"


def test_an_address_that_cannot_be_placed_is_kept_as_words(client, people, service):
    client.force_login(people["agent"])
    form = {"channel": "phone", "service": service("potholes").pk, "address": "behind the old cinema"}
    response = client.post(
        reverse("staff:log_for_caller"), form | {"caller_phone": "310-555-0100", "attribute[SIZE]": "M"}
    )
    assert response.status_code == 302
    created = ServiceRequest.objects.get()
    assert (created.address, created.lat) == ("behind the old cinema", None)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_callers_map_opens_on_the_city_in_either_language(client, people, language):
    client.force_login(people["agent"])
    page = client.get(reverse("staff:log_for_caller"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert opens_on_the_city(page)
