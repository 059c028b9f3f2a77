"""The tracking page over HTTP: who sees what, and that looking never changes anything."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.requests.device_reports import COOKIE_NAME, read_device_reports
from cityhall.requests.models import ServiceRequest
from cityhall.requests.tests.builders import submit

from .track_helpers import SECRET_NOTE, resolved_graffiti

pytestmark = pytest.mark.django_db


@pytest.fixture
def graffiti(service, people):
    return resolved_graffiti(service("graffiti-public-property"), people["staff"])


def page(client, request, **query):
    return client.get(reverse("citizen:track", args=[request.public_id]), query)


def test_the_public_sees_status_department_timeline_and_completion_photo(client, graffiti):
    html = page(client, graffiti).content.decode()
    assert "Resolved" in html and "#00a91c" in html  # the workflow's label and colour
    assert "Public Works" in html
    assert "Painted over." in html and "Tag on the library wall" in html
    assert "When the work was done" in html  # the completion photo
    assert graffiti.attachments.get(purpose="completion").thumbnail.url in html


def test_internal_notes_and_reporter_details_are_never_on_the_page(client, graffiti):
    for response in (page(client, graffiti), page(client, graffiti, token=graffiti.tracking_token)):
        html = response.content.decode()
        assert SECRET_NOTE not in html
        assert "Rosa" not in html and "rosa@example.org" not in html and "555-0101" not in html
    fragment = client.get(reverse("citizen:track_fragment", args=[graffiti.public_id])).content.decode()
    assert SECRET_NOTE not in fragment and "rosa@example.org" not in fragment


def test_without_the_token_there_is_nothing_to_confirm(client, graffiti):
    html = page(client, graffiti, fixed="yes").content.decode()
    assert "Yes, it's fixed" not in html and "Reopen the request" not in html
    assert "Only the person who reported this request can confirm or reopen it" in html


def test_a_wrong_token_is_no_key_and_is_not_remembered(client, graffiti):
    response = page(client, graffiti, token="not-the-token")
    assert "Yes, it's fixed" not in response.content.decode()
    assert COOKIE_NAME not in response.cookies


def test_the_token_opens_the_controls_and_is_remembered_after_it_leaves_the_address(client, graffiti):
    response = page(client, graffiti, token=graffiti.tracking_token)
    html = response.content.decode()
    assert "Is it fixed?" in html and "Yes, it's fixed" in html and "Reopen the request" in html
    assert (graffiti.public_id, graffiti.tracking_token) in read_device_reports(_with_cookies(response))
    # The same browser, without the token in the address: still the requester.
    html = page(client, graffiti).content.decode()
    assert "Yes, it's fixed" in html
    closure = client.get(reverse("citizen:track_closure", args=[graffiti.public_id])).content.decode()
    assert "Yes, it's fixed" in closure


def _with_cookies(response):
    class Carrier:
        COOKIES = {name: morsel.value for name, morsel in response.cookies.items()}

    return Carrier


def test_another_resident_sees_the_public_page_only(client, graffiti, people):
    client.force_login(people["other_resident"])
    html = page(client, graffiti).content.decode()
    assert "Resolved" in html and "Yes, it's fixed" not in html


def test_a_signed_in_reporter_needs_no_token(client, service, people):
    mine = resolved_graffiti(service("graffiti-public-property"), people["staff"], reporter=people["resident"])
    client.force_login(people["resident"])
    assert "Yes, it's fixed" in page(client, mine).content.decode()


@pytest.mark.parametrize("fixed", ["yes", "no"])
def test_links_from_emails_open_the_matching_form_and_change_nothing(client, graffiti, fixed):
    before = list(graffiti.events.values_list("id", flat=True))
    html = page(client, graffiti, token=graffiti.tracking_token, fixed=fixed).content.decode()
    if fixed == "yes":
        assert "Press the button to confirm; nothing changes until you do." in html
        assert "autofocus>Yes, it's fixed" in html
    else:
        assert '<details class="track-reopen" open>' in html
    graffiti.refresh_from_db()
    assert graffiti.status == "resolved"
    assert list(graffiti.events.values_list("id", flat=True)) == before


def test_an_open_request_shows_its_expected_by_date_and_no_closure(client, service):
    request = submit(service("potholes"))
    html = page(client, request, token=request.tracking_token).content.decode()
    assert "Expected by" in html and "Is it fixed?" not in html and "How did we do?" not in html


def test_unknown_requests_and_private_categories_are_not_found(client, service, santa_monica):
    assert client.get(reverse("citizen:track", args=["99999999"])).status_code == 404
    private = santa_monica.services.filter(is_private=True).first() or _make_private(service("potholes"))
    request = submit(private)
    assert page(client, request).status_code == 404
    assert page(client, request, token=request.tracking_token).status_code == 200


def _make_private(service):
    service.is_private = True
    service.save(update_fields=["is_private"])
    return service


def test_the_closure_fragment_keeps_what_is_shown_until_it_changes(client, graffiti):
    page(client, graffiti, token=graffiti.tracking_token)  # this browser now holds the token
    url = reverse("citizen:track_closure", args=[graffiti.public_id])
    first = client.get(url)
    assert first.status_code == 200
    state = first.content.decode().split("shown=", 1)[1].split('"', 1)[0]
    assert client.get(url, {"shown": state.replace("%3A", ":")}).status_code == 204
    ServiceRequest.objects.filter(pk=graffiti.pk).update(status="closed", closed_at=graffiti.resolved_at)
    assert client.get(url, {"shown": state.replace("%3A", ":")}).status_code == 200


def test_the_page_listens_to_its_request_topic(client, graffiti):
    html = page(client, graffiti).content.decode()
    assert "data-live-stream=" in html and 'hx-trigger="cityhall:changed from:body"' in html
    assert reverse("citizen:track_fragment", args=[graffiti.public_id]) in html
    fragment = client.get(reverse("citizen:track_fragment", args=[graffiti.public_id])).content.decode()
    assert "Resolved" in fragment and "<h1" not in fragment
    assert 'id="track-timeline" aria-labelledby="track-timeline-heading" hx-swap-oob="true"' in fragment


def test_the_page_is_in_spanish_for_a_spanish_browser(client, graffiti):
    html = client.get(reverse("citizen:track", args=[graffiti.public_id]), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Resuelta" in html and "Qué pasó" in html


def test_every_status_and_outcome_of_the_workflow_reads_in_spanish():
    from django.utils import translation

    from cityhall.citizen.views.track_timeline import resolution_text, status_badge
    from cityhall.requests.workflow import RESOLUTIONS, STATUSES, in_english

    with translation.override("es"):
        for status, info in STATUSES.items():
            badge = status_badge(status)
            assert badge.label != in_english(info.label), status
            assert badge.description != in_english(info.description), status
            assert badge.colour == info.colour
        for resolution, info in RESOLUTIONS.items():
            assert resolution_text(resolution) != in_english(info.public_text), resolution
