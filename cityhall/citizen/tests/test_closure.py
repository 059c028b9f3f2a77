"""Verified closure from the resident's side: confirm, reopen with a reason, then feedback once."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cityhall.requests.models import Feedback
from cityhall.requests.tests.builders import jpeg_with_gps, submit

from .track_helpers import resolved_graffiti

pytestmark = pytest.mark.django_db


@pytest.fixture
def graffiti(service, people):
    return resolved_graffiti(service("graffiti-public-property"), people["staff"])


def post(client, name, request, data=None, **extra):
    return client.post(reverse(f"citizen:{name}", args=[request.public_id]), data or {}, **extra)


def snapshot(request):
    request.refresh_from_db()
    return request.status, request.events.count(), Feedback.objects.filter(request=request).count()


def test_the_requester_confirms_it_is_fixed_then_rates_it(client, graffiti):
    response = post(client, "track_confirm", graffiti, {"token": graffiti.tracking_token})
    assert response.status_code == 302 and response["Location"].endswith(f"/requests/{graffiti.public_id}#feedback")
    graffiti.refresh_from_db()
    assert graffiti.status == "closed" and graffiti.events.last().action == "confirm"

    html = client.get(response["Location"]).content.decode()
    assert "Thank you for confirming" in html and "How did we do?" in html  # the token was remembered

    response = post(client, "track_feedback", graffiti, {"rating": "4", "comment": "Quick work, thanks."})
    assert response.status_code == 302
    feedback = Feedback.objects.get(request=graffiti)
    assert (feedback.rating, feedback.comment, feedback.confirmed_fixed) == (4, "Quick work, thanks.", True)
    # Staff see it on their timeline as an internal entry; the public never does.
    assert graffiti.events.last().kind == "note" and "4/5" in graffiti.events.last().internal_note
    html = client.get(response["Location"]).content.decode()
    assert "Thank you for your feedback (4 out of 5)" in html and "Quick work" not in html


def test_feedback_is_given_once(client, graffiti):
    post(client, "track_confirm", graffiti, {"token": graffiti.tracking_token})
    post(client, "track_feedback", graffiti, {"rating": "5"})
    before = snapshot(graffiti)
    response = post(client, "track_feedback", graffiti, {"rating": "1", "comment": "Changed my mind"})
    assert response.status_code == 302
    assert snapshot(graffiti) == before and Feedback.objects.get(request=graffiti).rating == 5
    assert "already given feedback" in client.get(response["Location"]).content.decode()


def test_not_fixed_reopens_it_into_the_departments_queue_with_the_reason_and_photo(client, graffiti):
    photo = SimpleUploadedFile("wall.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = post(
        client,
        "track_reopen",
        graffiti,
        {"token": graffiti.tracking_token, "reason": "The tag is still there.", "photo": photo},
    )
    assert response.status_code == 302
    graffiti.refresh_from_db()
    assert graffiti.status == "routed" and graffiti.department.slug == "public-works"
    event = graffiti.events.last()
    assert event.action == "reopen" and event.public_note == "The tag is still there."
    assert event.attachments.count() == 1
    html = client.get(response["Location"]).content.decode()
    assert "Reopened: not fixed" in html and "The tag is still there." in html
    assert "How did we do?" not in html  # not straight after "not fixed": the work starts again
    post(client, "track_feedback", graffiti, {"rating": "2"})  # a feedback sent anyway is kept as "not fixed"
    assert Feedback.objects.get(request=graffiti).confirmed_fixed is False


def test_not_fixed_without_a_reason_says_so_next_to_the_field_and_changes_nothing(client, graffiti):
    before = snapshot(graffiti)
    response = post(client, "track_reopen", graffiti, {"token": graffiti.tracking_token, "reason": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<div class="error-summary" role="alert">' in html
    assert '<a href="#reopen-reason">Tell us what is still wrong' in html
    assert 'aria-invalid="true"' in html and "reopen-reason-error" in html
    assert snapshot(graffiti) == before


def test_a_file_that_is_not_a_photo_is_refused_and_changes_nothing(client, graffiti):
    before = snapshot(graffiti)
    fake = SimpleUploadedFile("wall.jpg", b"not really a picture", content_type="image/jpeg")
    response = post(
        client, "track_reopen", graffiti, {"token": graffiti.tracking_token, "reason": "Still there", "photo": fake}
    )
    assert response.status_code == 400
    assert '<a href="#reopen-photo">We could not use this photo' in response.content.decode()
    assert snapshot(graffiti) == before and graffiti.attachments.filter(purpose="update").count() == 0


@pytest.mark.parametrize("rating", ["", "0", "6", "five", "4.5"])
def test_a_rating_outside_one_to_five_is_refused(client, graffiti, rating):
    post(client, "track_confirm", graffiti, {"token": graffiti.tracking_token})
    before = snapshot(graffiti)
    response = post(client, "track_feedback", graffiti, {"rating": rating})
    assert response.status_code == 400
    assert '<a href="#feedback-rating_0">Choose a rating from 1 to 5.</a>' in response.content.decode()
    assert snapshot(graffiti) == before


@pytest.mark.parametrize("who", ["anonymous", "wrong_token", "other_resident", "staff"])
@pytest.mark.parametrize("action", ["track_confirm", "track_reopen", "track_feedback"])
def test_nobody_but_the_requester_can_act(client, graffiti, people, who, action):
    data = {"reason": "Not fixed", "rating": "1"}
    if who == "wrong_token":
        data["token"] = "x" * 32
    elif who in people:
        client.force_login(people[who])
    before = snapshot(graffiti)
    assert post(client, action, graffiti, data).status_code == 404
    assert snapshot(graffiti) == before


def test_confirming_twice_or_too_early_changes_nothing(client, service, graffiti):
    post(client, "track_confirm", graffiti, {"token": graffiti.tracking_token})
    before = snapshot(graffiti)
    response = post(client, "track_confirm", graffiti)
    assert response.status_code == 302 and snapshot(graffiti) == before
    assert "nothing was done" in client.get(response["Location"]).content.decode()

    still_open = submit(service("potholes"))
    before = snapshot(still_open)
    for action, data in (("track_confirm", {}), ("track_feedback", {"rating": "5"})):
        post(client, action, still_open, {"token": still_open.tracking_token, **data})
    assert snapshot(still_open) == before


def test_a_get_on_the_action_addresses_changes_nothing(client, graffiti):
    before = snapshot(graffiti)
    for action in ("track_confirm", "track_reopen", "track_feedback"):
        response = client.get(
            reverse(f"citizen:{action}", args=[graffiti.public_id]), {"token": graffiti.tracking_token}
        )
        assert response.status_code == 405
    assert snapshot(graffiti) == before


def test_the_forms_carry_csrf_protection(graffiti):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    before = snapshot(graffiti)
    assert post(strict, "track_confirm", graffiti, {"token": graffiti.tracking_token}).status_code == 403
    assert snapshot(graffiti) == before


# Words of the staff's trade that a resident should never have to read on their request's page.
STAFF_WORDS = ("requester", "SLA", "Resolve.", "Done:", "route it", "triage")


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_reporter_reads_resident_words_while_it_is_resolved_and_after_a_reopen(client, graffiti, language):
    page = f"/requests/{graffiti.public_id}?token={graffiti.tracking_token}"
    html = client.get(page, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    if language == "en":
        assert "The city says it is fixed; whoever reported it can confirm or say it is not." in html
        assert "How did we do?" not in html  # first "Is it fixed?"
    else:
        assert "La ciudad dice que está arreglado" in html
    main = html[html.index("<main") : html.index("</main>")]
    assert [word for word in STAFF_WORDS if word in main] == []

    post(client, "track_reopen", graffiti, {"token": graffiti.tracking_token, "reason": "Still there."})
    html = client.get(page, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert [word for word in STAFF_WORDS if word in main] == []
    assert "How did we do?" not in main and "¿Qué tal lo hicimos?" not in main  # not straight after "not fixed"
