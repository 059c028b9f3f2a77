"""Duplicate cards with details, and an email asked once: card → "About you" → tracking page (issue 14)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from cityhall.core import clock
from cityhall.requests.models import Attachment, ServiceRequest, Support
from cityhall.requests.tests.builders import submit

from .report_helpers import CITY_HALL, nearby_pothole, pothole_form

pytestmark = pytest.mark.django_db

NEXT_DOOR = (34.0116, -118.4916)  # about 15 m from City Hall's steps
PERSONAL = ["Jane", "Doe", "jane.doe@example.org", "310-555-0199", "3105550199", "5550199"]


def place_check(client) -> str:
    response = client.get("/report/place", {"service": "potholes", "lat": NEXT_DOOR[0], "lng": NEXT_DOOR[1]})
    assert response.status_code == 200
    return response.content.decode()


def card_of(page: str, public_id: str) -> str:
    start = page.index(f'data-candidate="{public_id}"')
    return page[start : page.index("</li>", start)]


def test_a_card_shows_category_description_start_photo_place_and_age(client, service):
    existing = nearby_pothole(service("potholes"))
    card = card_of(place_check(client), existing.public_id)
    assert re.search(r"data-category>\s*Potholes\s*<", card)
    existing.refresh_from_db()
    in_words = {"submitted": "Submitted", "routed": "In the department&#x27;s queue"}[existing.status]
    assert f"data-status>{in_words}<" in card  # the status in the resident's words, not the workflow's
    excerpt = re.search(r"data-excerpt>(.*?)</p>", card, re.S).group(1)
    assert excerpt.startswith("Deep hole in the crosswalk by the library steps") and excerpt.endswith("…")
    assert len(excerpt) <= 121
    assert "1685 Main St" in card
    assert re.search(r"\d+ m away · reported just now<", card)  # made a moment ago
    assert "data-supporters" not in card  # no one else supports it yet: no "0 other residents support it"
    thumbnail = existing.attachments.get().thumbnail.name
    assert f'src="/media/{thumbnail}"' in card
    assert client.get(f"/media/{thumbnail}").status_code == 200  # open to everyone, no session needed
    # "See more" opens in place (a native disclosure), with the rest of the public description.
    assert "<details" in card and "See more" in card and "It has been growing since 2026-11-02." in card
    assert 'target="_blank"' in card  # its own page only ever in a new tab: the form stays


def card_line(client, language: str, existing: ServiceRequest, marker: str) -> str | None:  # type: ignore[no-untyped-def]
    """The text of the line marked `marker` on `existing`'s card, as the place check shows it in `language`."""
    where = {"service": "potholes", "lat": NEXT_DOOR[0], "lng": NEXT_DOOR[1]}
    page = client.get("/report/place", where, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    found = re.search(rf"{marker}>(.*?)</p>", card_of(page, existing.public_id))
    return found.group(1) if found else None


@pytest.mark.parametrize(
    ("language", "now", "later"),
    [
        ("en", "reported just now", "reported 3\xa0hours ago"),
        ("es", "reportada hace un momento", "reportada hace 3\xa0horas"),
    ],
)
def test_a_card_says_just_now_under_a_minute_never_0_minutes(client, service, language, now, later):
    existing = nearby_pothole(service("potholes"))
    assert card_line(client, language, existing, "data-age").endswith(f" · {now}")  # not "reported 0 minutes ago"
    ServiceRequest.objects.filter(pk=existing.pk).update(requested_at=clock.now() - timedelta(hours=3, minutes=5))
    assert card_line(client, language, existing, "data-age").endswith(f" · {later}")


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("en", "1 other resident supports it", "2 other residents support it"),
        ("es", "1 vecino más lo apoya", "2 vecinos más lo apoyan"),
    ],
)
def test_a_card_counts_the_other_supporters_and_says_nothing_of_none(client, service, language, one, two):
    existing = nearby_pothole(service("potholes"))
    # not "0 other residents support it" / "0 vecinos más lo apoyan"
    assert card_line(client, language, existing, "data-supporters") is None
    for count, words in ((1, one), (2, two)):
        ServiceRequest.objects.filter(pk=existing.pk).update(support_count=count)
        assert card_line(client, language, existing, "data-supporters") == words


def test_a_card_never_shows_personal_data_from_the_request(client, service):
    existing = nearby_pothole(service("potholes"))
    page = place_check(client)
    card = card_of(page, existing.public_id)
    for personal in [*PERSONAL, "rosalind@example.net", "310 555 0142", existing.tracking_token]:
        assert personal not in page, personal
    assert "a cyclist nearly fell in it" in card  # the rest of the words stay
    # A stranger's name typed into the description cannot be told from other words: only their contacts go.
    assert "neighbour Rosalind (…, …) saw it too" in card


def test_a_card_shows_no_photo_that_is_not_open_to_everyone(client, service):
    existing = nearby_pothole(service("potholes"))
    Attachment.objects.filter(request=existing).update(is_public=False)  # as a photo sent with a staff note
    card = card_of(place_check(client), existing.public_id)
    assert "<img" not in card and existing.attachments.get().thumbnail.name not in card


def test_the_email_given_to_add_support_is_not_asked_again(client, service):
    first = submit(service("potholes"), at=CITY_HALL)
    second = submit(service("potholes"), at=NEXT_DOOR)
    added = client.post(
        f"/report/support/{first.public_id}", {"back": "/report/potholes", "support_email": "Me@Example.org"}
    )
    assert added["Location"] == f"/requests/{first.public_id}"

    # The cards no longer ask: "add my support" on another one uses the same address.
    page = place_check(client)
    assert 'name="support_email"' not in page and "We will tell you at me@example.org when it is fixed." in page
    assert "data-already" in card_of(page, first.public_id)  # supported: nothing more to press
    assert f'formaction="/report/support/{first.public_id}"' not in page
    assert f'formaction="/report/support/{second.public_id}"' in page
    again = client.post(f"/report/support/{second.public_id}", {"back": "/report/potholes"})
    assert again["Location"] == f"/requests/{second.public_id}"
    assert Support.objects.get(request=second).email == "me@example.org"

    # "About you" has it already: said, pre-filled, and changeable only on request.
    form = client.get("/report/potholes").content.decode()
    assert "We will send updates to me@example.org, the email you already gave." in form
    assert re.search(r'<details class="email-change">.*name="email" value="me@example.org"', form, re.S)


def test_an_email_typed_on_the_card_is_the_reports_email(client, service):
    submit(service("potholes"), at=CITY_HALL)
    response = client.post("/report/potholes", pothole_form(support_email="card@example.org", email=""))
    assert response.status_code == 302
    created = ServiceRequest.objects.latest("id")
    assert created.reporter_email == "card@example.org"
    assert "the email you already gave" in client.get("/report/potholes").content.decode()


def follow_offer(page: str) -> bool:
    return 'action="/notifications/follow"' in page


def test_the_reporter_is_not_offered_to_follow_their_own_request(client, service):
    response = client.post("/report/potholes", pothole_form(email="reporter@example.org"), follow=True)
    created = ServiceRequest.objects.latest("id")
    page = client.get(f"/requests/{created.public_id}").content.decode()  # by the device cookie
    assert not follow_offer(page) and 'name="email"' not in page
    assert "You reported this request. You will get updates at r•••@example.org." in page
    assert "reporter@example.org" not in page
    assert response.status_code == 200

    stranger = client.__class__()
    assert follow_offer(stranger.get(f"/requests/{created.public_id}").content.decode())
    with_token = stranger.get(f"/requests/{created.public_id}", {"token": created.tracking_token})
    assert not follow_offer(with_token.content.decode())  # the reporter's link, on another device


def test_a_signed_in_reporter_is_not_offered_to_follow(client, service, people):
    created = submit(service("potholes"), reporter=people["resident"])
    client.force_login(people["resident"])
    page = client.get(f"/requests/{created.public_id}").content.decode()
    assert not follow_offer(page) and "You reported this request. You will get updates at" in page
    assert "data-already" in card_of(place_check(client), created.public_id)  # no support for one's own


def test_a_supporter_is_told_they_follow_and_not_asked_again(client, service):
    existing = submit(service("potholes"), at=CITY_HALL)
    client.post(
        f"/report/support/{existing.public_id}", {"back": "/report/potholes", "support_email": "me@example.org"}
    )
    page = client.get(f"/requests/{existing.public_id}").content.decode()
    assert not follow_offer(page)
    assert "You follow this request: we will tell you at m•••@example.org when it is resolved." in page


def test_a_follower_is_not_offered_to_follow_again(client, service, people):
    existing = submit(service("potholes"), at=CITY_HALL)
    client.force_login(people["other_resident"])
    client.post("/notifications/follow", {"public_id": existing.public_id})
    page = client.get(f"/requests/{existing.public_id}").content.decode()
    assert not follow_offer(page) and "You follow this request" in page


def test_a_visitor_who_gave_an_email_is_offered_to_follow_with_it_not_asked_for_it(client, service):
    supported = submit(service("potholes"), at=CITY_HALL)
    other = submit(service("graffiti-public-property"), at=CITY_HALL)
    client.post(
        f"/report/support/{supported.public_id}", {"back": "/report/potholes", "support_email": "me@example.org"}
    )
    page = client.get(f"/requests/{other.public_id}").content.decode()
    assert follow_offer(page)
    assert 'type="email"' not in page and '<input type="hidden" name="email" value="me@example.org">' in page
    client.post("/notifications/follow", {"public_id": other.public_id, "email": "me@example.org"})
    pending = client.get(f"/requests/{other.public_id}").content.decode()
    assert not follow_offer(pending) and "open the link we sent to m•••@example.org" in pending


def test_the_email_given_is_kept_for_the_visit_not_for_the_next_person_at_the_computer(client, service):
    existing = submit(service("potholes"), at=CITY_HALL)
    client.post(
        f"/report/support/{existing.public_id}", {"back": "/report/potholes", "support_email": "me@example.org"}
    )
    with clock.travel(clock.now() + timedelta(hours=1)):
        assert "the email you already gave" in client.get("/report/potholes").content.decode()
    with clock.travel(clock.now() + timedelta(hours=3)):
        later = client.get("/report/potholes").content.decode()
        assert "me@example.org" not in later and 'name="email"' in later
        assert 'type="email"' in client.get(f"/requests/{submit(service('potholes')).public_id}").content.decode()
