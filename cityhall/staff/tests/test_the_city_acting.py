"""What the application does by itself (routing a report, closing a request nobody answered) it does for the
city: staff and residents read it as the city's, in their language, never under the software's name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from cityhall.core import clock
from cityhall.requests import services
from cityhall.requests.services import Change
from cityhall.requests.tests.builders import actor, submit
from cityhall.requests.workflow import Action, Resolution, Role

WHO = {"en": "City of Santa Monica, automatically", "es": "Ciudad de Santa Mónica, automáticamente"}
CLOSED = {"en": "Closed automatically", "es": "Cerrada automáticamente"}


@pytest.fixture
def auto_closed(service, people, santa_monica):
    """A request resolved long ago, closed by the periodic sweep because nobody answered."""
    request = submit(service("other-streets-and-sidewalks"), reporter=people["resident"])
    with clock.travel(clock.now() - timedelta(days=santa_monica.auto_close_days + 1)):
        services.service_request_transition(
            service_request=request,
            action=Action.RESOLVE,
            actor=actor(people["staff"], Role.STAFF),
            change=Change(resolution=Resolution.FIXED, public_note="Filled the hole."),
        )
    assert services.service_requests_auto_close() == 1
    return request


def _whos(page: str) -> list[str]:
    whens = [row.split("</span>", 1)[0] for row in page.split('<span class="when">')[1:]]
    return [" ".join(strip_tags(when.split("·", 1)[1]).split()) for when in whens]


@pytest.mark.parametrize("language", ["en", "es"])
def test_staff_read_the_routing_and_the_auto_close_as_the_city_s(client, people, auto_closed, language):
    client.force_login(people["staff"])
    page = client.get(reverse("staff:request", args=[auto_closed.public_id]), HTTP_ACCEPT_LANGUAGE=language)
    whos = _whos(page.content.decode())
    assert whos.count(WHO[language]) == 2, whos  # routed on submit, then closed
    assert not any("CityHall" in who or "System" in who or "Sistema" in who for who in whos), whos


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_resident_reads_the_auto_close_in_their_language(client, people, auto_closed, language):
    client.force_login(people["resident"])
    page = client.get(reverse("citizen:track", args=[auto_closed.public_id]), HTTP_ACCEPT_LANGUAGE=language)
    timeline = page.content.decode().split('id="track-timeline"', 1)[1].split("</section>", 1)[0]
    assert f'<h3 class="timeline-title">{CLOSED[language]}</h3>' in timeline
    assert "no reply within" not in timeline and "CityHall" not in timeline  # the sweep's English note stays out
