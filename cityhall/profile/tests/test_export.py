"""'Download my data': the JSON file holds what the city keeps about her, and nothing about anyone else."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from cityhall.accounts.models import SavedPlace
from cityhall.core import clock
from cityhall.notifications.models import Channel, Follow, Message, MessageStatus, RecipientKind
from cityhall.requests import services
from cityhall.requests.services import Change, Contact
from cityhall.requests.tests.builders import CITY_HALL, actor, jpeg_with_gps, submit
from cityhall.requests.workflow import Action, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def her_data(zelda, people, service, django_capture_on_commit_callbacks):
    """Two requests of hers (one signed in, one anonymous with her work address), one of a neighbour
    she supported, a place, and the receipts the notifications sent her."""
    SavedPlace.objects.create(
        user=zelda.user, kind="home", address="1685 Main St", lat=CITY_HALL[0], lng=CITY_HALL[1], created_at=clock.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        signed_in = submit(
            service("potholes"), reporter=zelda.user, description="Hole by the library", photos_in=[jpeg_with_gps()]
        )
        anonymous = submit(service("graffiti-public-property"), contact=Contact(email=zelda.work_email))
        neighbours = submit(service("potholes"), contact=Contact(email="neighbour@example.org"))
        services.service_request_support(service_request=neighbours, user=zelda.user)
        services.service_request_transition(
            service_request=signed_in,
            action=Action.COMMENT,
            actor=actor(people["agent"], Role.AGENT),
            change=Change(public_note="A crew is booked for Tuesday.", internal_note="Budget code 7781."),
        )
    Follow.objects.create(request=neighbours, user=zelda.user, email=zelda.email, created_at=clock.now())
    return {"signed_in": signed_in, "anonymous": anonymous, "neighbours": neighbours}


def download(client, user) -> dict:
    client.force_login(user)
    response = client.get(reverse("profile:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="cityhall-my-data-')
    return json.loads(response.content)


def test_the_download_holds_her_profile_addresses_places_requests_supports_and_messages(client, zelda, her_data):
    data = download(client, zelda.user)

    assert data["profile"] | {"joined_at": None, "last_sign_in_at": None} == {
        "email": zelda.email, "name": zelda.name, "phone": zelda.phone, "language": "en",
        "joined_at": None, "last_sign_in_at": None,
    }  # fmt: skip
    assert {(row["email"], row["verified"]) for row in data["email_addresses"]} == {
        (zelda.email, True),
        (zelda.work_email, True),
    }
    assert data["saved_places"] == [
        {"kind": "home", "label": "Home", "address": "1685 Main St", "lat": CITY_HALL[0], "lng": CITY_HALL[1]}
    ]
    reported = {row["public_id"]: row for row in data["requests"]}
    assert set(reported) == {her_data["signed_in"].public_id, her_data["anonymous"].public_id}
    mine = reported[her_data["signed_in"].public_id]
    assert mine["description"] == "Hole by the library" and mine["answers"] == {"SIZE": "M"}
    notes = [event["note"] for event in mine["timeline"]]
    assert "A crew is booked for Tuesday." in notes
    assert "Budget code 7781." not in json.dumps(data)  # staff's internal notes are the city's, not hers
    # The photo she sent, as the city keeps it (stripped of its location), at an address she can open.
    stored = her_data["signed_in"].attachments.get()
    assert mine["photos"] == [
        {
            "url": f"http://testserver/media/{stored.image.name}",
            "type": "image/jpeg",
            "sent_at": stored.created_at.isoformat(),
        }
    ]
    assert reported[her_data["anonymous"].public_id]["photos"] == []
    assert reported[her_data["anonymous"].public_id]["reported_as"]["email"] == zelda.work_email
    assert [row["request"] for row in data["supports"]] == [her_data["neighbours"].public_id]
    assert [row["request"] for row in data["follows"]] == [her_data["neighbours"].public_id]
    receipts = {(row["to"], row["request"]) for row in data["messages"]}
    assert (zelda.email, her_data["signed_in"].public_id) in receipts
    assert (zelda.work_email, her_data["anonymous"].public_id) in receipts


def test_the_download_holds_nothing_of_anyone_else(client, zelda, her_data):
    text = json.dumps(download(client, zelda.user))
    assert "neighbour@example.org" not in text
    assert "agent@example.org" not in text


def test_a_resident_with_nothing_yet_gets_an_empty_but_complete_file(client, people):
    data = download(client, people["other_resident"])
    assert data["profile"]["email"] == "neighbour@example.org"
    assert data["requests"] == data["supports"] == data["follows"] == data["messages"] == data["saved_places"] == []
    assert data["format"] == "cityhall-personal-data" and data["version"] == 1


def test_a_daily_digest_she_was_sent_is_in_the_download_about_no_one_request(client, zelda):
    """A digest carries many requests, so its row names none; the download still opens (it failed on it)."""
    Message.objects.create(
        channel=Channel.EMAIL,
        recipient_kind=RecipientKind.RESIDENT,
        address=zelda.email,
        template="digest",
        status=MessageStatus.SENT,
        idempotency_key="digest-of-zelda",
        created_at=clock.now(),
    )
    data = download(client, zelda.user)
    assert [(row["to"], row["template"], row["request"]) for row in data["messages"]] == [(zelda.email, "digest", None)]
