"""Following a request: by email with a confirmation link (double opt-in), or in one click when signed in."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.template import RequestContext, Template
from django.test import Client, RequestFactory

from cityhall.requests.tests.builders import submit

from ..models import Follow, Message
from ..selectors import follows_for
from .conftest import PUBLIC_URL
from .helpers import subject_of, text_of
from .test_resident_emails import fix

pytestmark = pytest.mark.django_db


def path_of(url: str) -> str:
    return urlsplit(url).path


def link_to(text: str, start: str) -> str:
    found = re.search(re.escape(PUBLIC_URL + start) + r"[^\s]+", text)
    assert found, text
    return found.group(0)


def test_anyone_follows_by_email_once_the_link_is_confirmed_and_hears_the_outcome(service, people, smtp, committed):
    with committed():
        request = submit(service("potholes"), reporter=people["resident"])
    visitor = Client()
    with committed():
        response = visitor.post(
            "/notifications/follow",
            {"public_id": request.public_id, "email": "Neighbour.Two@Example.org"},
            headers={"referer": f"http://testserver/requests/{request.public_id}"},
        )
    assert response.status_code == 302 and response["Location"] == f"http://testserver/requests/{request.public_id}"
    (confirmation,) = smtp.to("neighbour.two@example.org")
    assert subject_of(confirmation) == f"Confirm that you want to follow request #{request.public_id}"
    confirm_link = link_to(text_of(confirmation), "/notifications/follow/confirm/")

    # Not following yet: a resolution now reaches the reporter only.
    follow = Follow.objects.get()
    assert follow.confirmed_at is None
    page = visitor.get(path_of(confirm_link))  # a mail scanner opening the link confirms nothing
    assert page.status_code == 200 and Follow.objects.get().confirmed_at is None
    visitor.post(path_of(confirm_link))
    assert Follow.objects.get().confirmed_at is not None

    with committed():
        fix(request, people["crew"], "Patched.")
    resolved = smtp.to("neighbour.two@example.org")[-1]
    assert subject_of(resolved) == f"A request you follow is resolved: #{request.public_id}"
    text = text_of(resolved)
    assert "because you follow this request" in text and "token=" not in text and "Is it fixed?" not in text

    # Its own link stops following, without signing in.
    stop = link_to(text, "/notifications/follow/stop/")
    assert Client().get(path_of(stop)).status_code == 200 and Follow.objects.exists()
    Client().post(path_of(stop))
    assert not Follow.objects.exists()


def test_asking_twice_sends_one_confirmation(service, smtp, committed):
    with committed():
        request = submit(service("potholes"))
    for _ in range(2):
        with committed():
            Client().post("/notifications/follow", {"public_id": request.public_id, "email": "twice@example.org"})
    assert len(smtp.to("twice@example.org")) == 1
    assert Message.objects.filter(template="follow_confirm").count() == 1


def test_a_signed_in_resident_follows_in_one_click_and_sees_it_in_their_lists(service, people, smtp, committed):
    with committed():
        request = submit(service("potholes"))
    neighbour = people["other_resident"]
    browser = Client()
    browser.force_login(neighbour)
    with committed():
        response = browser.post("/notifications/follow", {"public_id": request.public_id}, follow=False)
    assert response.status_code == 302
    assert smtp.to(neighbour.email) == []  # no confirmation needed: the account's address is known
    assert [follow.request for follow in follows_for(neighbour)] == [request]
    page = browser.get("/notifications/preferences")
    assert f"#{request.public_id}" in page.content.decode()

    # The include on the tracking page now says so instead of offering the button.
    html = render_follow_form(request, neighbour)
    assert "You follow this request" in html and 'name="email"' not in html

    follow = follows_for(neighbour).get()
    browser.post(f"/notifications/preferences/follows/{follow.pk}/remove")
    assert not follows_for(neighbour).exists()


def render_follow_form(service_request, user) -> str:
    web_request = RequestFactory().get(f"/requests/{service_request.public_id}")
    web_request.user = user
    template = Template('{% include "notifications/follow_form.html" %}')
    return template.render(RequestContext(web_request, {"service_request": service_request}))


def test_the_follow_form_for_anonymous_visitors_asks_for_an_email(service):
    from django.contrib.auth.models import AnonymousUser

    request = submit(service("potholes"))
    html = render_follow_form(request, AnonymousUser())
    assert 'action="/notifications/follow"' in html and 'name="email"' in html and "csrfmiddlewaretoken" in html
    assert f'value="{request.public_id}"' in html


def test_a_bad_address_is_explained_and_nothing_is_stored(service, committed):
    request = submit(service("potholes"))
    response = Client(headers={"accept-language": "es"}).post(
        "/notifications/follow", {"public_id": request.public_id, "email": "not-an-address"}
    )
    assert response.status_code == 400
    assert "Introduzca una dirección de correo como nombre@example.org." in response.content.decode()
    assert not Follow.objects.exists() and not Message.objects.filter(template="follow_confirm").exists()


def test_private_or_unknown_requests_cannot_be_followed(service, santa_monica):
    request = submit(service("potholes"))
    request.service.is_private = True
    request.service.save(update_fields=["is_private"])
    for public_id in (request.public_id, "nope"):
        response = Client().post("/notifications/follow", {"public_id": public_id, "email": "a@example.org"})
        assert response.status_code == 404
    assert not Follow.objects.exists()


def test_a_changed_confirmation_link_confirms_nothing(service, smtp, committed):
    with committed():
        request = submit(service("potholes"))
    with committed():
        Client().post("/notifications/follow", {"public_id": request.public_id, "email": "x@example.org"})
    link = link_to(text_of(smtp.to("x@example.org")[0]), "/notifications/follow/confirm/")
    response = Client().post(path_of(link) + "x")
    assert response.status_code == 404 and Follow.objects.get().confirmed_at is None
