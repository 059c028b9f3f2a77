"""Duplicates at intake over HTTP: "Is it one of these?" before sending, and "add my support" instead."""

from __future__ import annotations

import pytest

from cityhall.requests.models import ServiceRequest, Support
from cityhall.requests.tests.builders import jpeg_with_gps, put_in_status, submit
from cityhall.requests.workflow import Status

from .report_helpers import CITY_HALL, counts, pothole_form

pytestmark = pytest.mark.django_db

NEXT_DOOR = (34.0116, -118.4916)  # about 15 m from City Hall's steps


@pytest.fixture
def existing(service):
    return submit(service("potholes"), at=CITY_HALL, photos_in=[jpeg_with_gps()])


def test_checking_the_place_shows_open_requests_of_the_category_nearby_without_writing(client, existing):
    before = counts()
    response = client.post(
        "/report/potholes", pothole_form(lat=NEXT_DOOR[0], lng=NEXT_DOOR[1], attr_SIZE=None, action="check")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Is it one of these?" in page and f'data-candidate="{existing.public_id}"' in page
    assert "data-supporters" not in page and "0 other" not in page  # no one else yet: no zero count
    assert existing.attachments.get().thumbnail.name in page  # its photo
    assert f'formaction="/report/support/{existing.public_id}"' in page
    assert 'class="error-summary' not in page  # unanswered questions are not errors yet
    assert counts() == before


def test_the_place_check_fragment_lists_only_the_same_category(client, existing):
    same = client.get("/report/place", {"service": "potholes", "lat": NEXT_DOOR[0], "lng": NEXT_DOOR[1]})
    assert existing.public_id in same.content.decode()
    other = client.get("/report/place", {"service": "streetlights", "lat": NEXT_DOOR[0], "lng": NEXT_DOOR[1]})
    assert existing.public_id not in other.content.decode()
    assert "Nobody has reported this kind of problem right there yet" in other.content.decode()


def test_a_resolved_request_is_not_offered(client, existing, public_works):
    put_in_status(existing, Status.RESOLVED, department=public_works, assignee=None)
    page = client.get("/report/place", {"service": "potholes", "lat": NEXT_DOOR[0], "lng": NEXT_DOOR[1]})
    assert existing.public_id not in page.content.decode()


def test_a_signed_in_resident_adds_support_instead_of_a_new_report(client, people, existing):
    client.force_login(people["other_resident"])
    before = ServiceRequest.objects.count()
    response = client.post(f"/report/support/{existing.public_id}", pothole_form(back="/report/potholes"))
    assert response.status_code == 302 and response["Location"] == f"/requests/{existing.public_id}"
    assert ServiceRequest.objects.count() == before  # no new request
    existing.refresh_from_db()
    assert existing.support_count == 1
    assert Support.objects.filter(request=existing, user=people["other_resident"]).exists()
    again = client.post(f"/report/support/{existing.public_id}", {"back": "/report/potholes"})
    assert again.status_code == 302
    existing.refresh_from_db()
    assert existing.support_count == 1  # counted once


def test_an_anonymous_supporter_gives_an_email_to_hear_the_outcome(client, existing):
    before = counts()
    refused = client.post(f"/report/support/{existing.public_id}", {"back": "/report/potholes", "support_email": "x"})
    assert refused.status_code == 302 and refused["Location"] == "/report/potholes"
    assert counts() == before
    added = client.post(
        f"/report/support/{existing.public_id}", {"back": "/report/potholes", "support_email": "Me@Example.org"}
    )
    assert added["Location"] == f"/requests/{existing.public_id}"
    assert Support.objects.get(request=existing).email == "me@example.org"


def test_an_email_longer_than_an_address_may_be_is_refused_like_any_bad_one(client, existing):
    before = counts()
    too_long = "a" * 64 + "@" + ("b" * 60 + ".") * 4 + "org"  # the right shape, 312 characters
    refused = client.post(
        f"/report/support/{existing.public_id}", {"back": "/report/potholes", "support_email": too_long}
    )
    assert refused.status_code == 302 and refused["Location"] == "/report/potholes"
    assert counts() == before


def test_a_closed_request_takes_no_support(client, people, existing, public_works):
    put_in_status(existing, Status.CLOSED, department=public_works, assignee=None)
    client.force_login(people["other_resident"])
    response = client.post(f"/report/support/{existing.public_id}", {"back": "/report/potholes"})
    assert response["Location"] == "/report/potholes"
    assert Support.objects.count() == 0
    page = client.get("/report/potholes").content.decode()
    assert "can no longer take support" in page


def test_support_from_elsewhere_cannot_redirect_off_the_site(client, people, existing):
    client.force_login(people["other_resident"])
    response = client.post("/report/support/99999999", {"back": "https://evil.example/"})
    assert response["Location"] == "/report"
