"""My requests: the account's reports and supports; an anonymous reporter's reports on this device."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.notifications.services import follow_add
from cityhall.requests import services
from cityhall.requests.device_reports import COOKIE_NAME, SALT
from cityhall.requests.tests.builders import submit

pytestmark = pytest.mark.django_db


def mine(client):
    return client.get(reverse("citizen:mine")).content.decode()


def test_a_signed_in_resident_sees_what_they_reported_and_supported(client, service, people):
    reported = submit(service("potholes"), reporter=people["resident"])
    supported = submit(service("graffiti-public-property"))
    services.service_request_support(service_request=supported, user=people["resident"])
    followed = submit(service("potholes"))
    follow_add(service_request=followed, user=people["resident"], email="", language="en")
    someone_elses = submit(service("potholes"), reporter=people["other_resident"])
    client.force_login(people["resident"])
    html = mine(client)
    assert followed.public_id in html and "You follow it" in html
    assert reported.public_id in html and "You reported it" in html
    assert supported.public_id in html and "You reported it too" in html
    assert someone_elses.public_id not in html


def test_an_anonymous_reporter_sees_the_requests_remembered_on_this_device(client, service):
    first, second = submit(service("potholes")), submit(service("potholes"))
    client.get(reverse("citizen:track", args=[first.public_id]), {"token": first.tracking_token})
    html = mine(client)
    assert first.public_id in html and second.public_id not in html
    assert "On this device" in html


def test_a_forged_or_stale_device_cookie_shows_nothing(client, service):
    from django.core import signing

    request = submit(service("potholes"))
    client.cookies[COOKIE_NAME] = signing.dumps([[request.public_id, "guessed"]], salt=SALT, compress=True)
    assert request.public_id not in mine(client)
    client.cookies[COOKIE_NAME] = "tampered"
    assert "No requests were reported on this device yet." in mine(client)


def test_my_requests_in_spanish(client):
    html = client.get(reverse("citizen:mine"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Mis solicitudes" in html
