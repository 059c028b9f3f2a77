"""Wrong tracking tokens are guesses: past the limit per client address, 429 (issue 18, finding 8)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.requests.models import ServiceRequest
from cityhall.requests.tests.builders import submit
from cityhall.requests.workflow import Status

from .track_helpers import resolved_graffiti

pytestmark = pytest.mark.django_db

GUESSER, NEIGHBOUR = "192.0.2.66", "192.0.2.67"


@pytest.fixture
def graffiti(service, people):
    return resolved_graffiti(service("graffiti-public-property"), people["staff"])


def _open(client, request, token, address=GUESSER, **headers):
    url = reverse("citizen:track", args=[request.public_id])
    return client.get(url, {"token": token}, REMOTE_ADDR=address, headers=headers)


def test_past_the_limit_a_wrong_token_gets_429_in_the_page_frame_and_the_persons_language(client, settings, graffiti):
    settings.CITYHALL_RATE_LIMITS = {"token": 3}
    for attempt in range(3):  # under the limit a wrong token is simply no key: the public view
        response = _open(client, graffiti, f"guess-{attempt}")
        assert response.status_code == 200 and "Yes, it's fixed" not in response.content.decode()
    refused = _open(client, graffiti, "guess-3", accept_language="es")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    html = refused.content.decode()
    assert "Demasiados a la vez" in html and 'lang="es"' in html and "<header" in html  # the site's frame


def test_past_the_limit_even_the_right_token_learns_nothing_but_another_address_is_unaffected(
    client, settings, graffiti
):
    settings.CITYHALL_RATE_LIMITS = {"token": 2}
    for attempt in range(3):
        _open(client, graffiti, f"guess-{attempt}")
    assert _open(client, graffiti, graffiti.tracking_token).status_code == 429
    legitimate = _open(client, graffiti, graffiti.tracking_token, address=NEIGHBOUR)
    assert legitimate.status_code == 200 and "Yes, it's fixed" in legitimate.content.decode()


def test_the_right_token_under_the_limit_works_and_is_never_counted(client, settings, graffiti):
    settings.CITYHALL_RATE_LIMITS = {"token": 1}
    _open(client, graffiti, "one-typo")  # one wrong guess: at the limit, not past it
    for _ in range(5):  # a reporter reloading their link many times is not guessing
        response = _open(client, graffiti, graffiti.tracking_token)
        assert response.status_code == 200 and "Yes, it's fixed" in response.content.decode()


def test_guesses_at_a_private_request_count_and_the_refusal_writes_nothing(client, settings, service, santa_monica):
    settings.CITYHALL_RATE_LIMITS = {"token": 2}
    private = service("potholes")
    private.is_private = True
    private.save(update_fields=["is_private"])
    request = submit(private)
    for attempt in range(2):
        assert _open(client, request, f"guess-{attempt}").status_code == 404
    assert _open(client, request, "guess-2").status_code == 429


def test_a_wrong_token_posted_with_the_closure_forms_counts_too(client, settings, graffiti):
    settings.CITYHALL_RATE_LIMITS = {"token": 2}
    url = reverse("citizen:track_confirm", args=[graffiti.public_id])
    answers = [client.post(url, {"token": f"guess-{n}"}, REMOTE_ADDR=GUESSER).status_code for n in range(3)]
    assert answers == [404, 404, 429]
    refused = client.post(url, {"token": graffiti.tracking_token}, REMOTE_ADDR=GUESSER)
    assert refused.status_code == 429
    assert ServiceRequest.objects.get(pk=graffiti.pk).status == Status.RESOLVED  # nothing was confirmed
