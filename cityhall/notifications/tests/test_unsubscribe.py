"""One-click unsubscribe: works without signing in, never shows the address, and stops later messages."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client

from cityhall.requests.services import Contact
from cityhall.requests.tests.builders import actor, submit
from cityhall.requests.workflow import Action, Role

from ..links import unsubscribe_link
from ..models import Channel, Message, MessageStatus, Unsubscribe
from .helpers import act, text_of, unsubscribe_url

pytestmark = pytest.mark.django_db


def path_of(url: str) -> str:
    return urlsplit(url).path


def test_the_link_in_an_email_unsubscribes_without_a_session_and_stops_later_messages(service, people, smtp, committed):
    with committed():
        request = submit(service("potholes"), contact=Contact(email="reporter@example.org"))
    link = unsubscribe_url(smtp.received[0])
    assert link in text_of(smtp.received[0])

    browser = Client(enforce_csrf_checks=True)  # no session, no CSRF cookie: a click from a mail app
    page = browser.get(path_of(link))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Unsubscribe" in html and '<form method="post">' in html
    assert "reporter@example.org" not in html  # the link may have been forwarded
    assert not Unsubscribe.objects.exists()  # a link scanner's GET changes nothing

    done = browser.post(path_of(link))
    assert done.status_code == 200 and "You are unsubscribed" in done.content.decode()
    assert Unsubscribe.objects.filter(channel="email", address="reporter@example.org").exists()

    with committed():
        act(request, Action.COMMENT, actor(people["staff"], Role.STAFF), public_note="We are on it.")
    assert len(smtp.received) == 1
    reply = Message.objects.get(request=request, template="reply")
    assert reply.status == MessageStatus.SKIPPED and "unsubscribed" in reply.last_error


def test_mail_clients_one_click_post_works_and_a_second_click_is_harmless(people):
    link = unsubscribe_link(Channel.EMAIL, "someone@example.org")
    browser = Client(enforce_csrf_checks=True)
    for _ in range(2):
        response = browser.post(
            path_of(link), data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 200
    assert Unsubscribe.objects.filter(channel="email", address="someone@example.org").count() == 1


def test_an_unsubscribe_between_planning_and_sending_still_stops_the_message(service, people, smtp):
    from .. import services
    from ..tasks import notify_events

    request = submit(service("potholes"), reporter=people["resident"])
    event_ids = list(request.events.values_list("pk", flat=True))
    services.messages_plan(event_ids)
    Client().post(path_of(unsubscribe_link(Channel.EMAIL, "resident@example.org")))
    notify_events.call(event_ids)
    assert smtp.received == []
    assert Message.objects.get(request=request).status == MessageStatus.SKIPPED


@pytest.mark.parametrize("tampered", ["not-a-token", "{good}x", "{good_other_salt}"])
def test_a_changed_or_made_up_link_unsubscribes_nobody(tampered, people):
    from django.core import signing

    good = urlsplit(unsubscribe_link(Channel.EMAIL, "someone@example.org")).path.rsplit("/", 1)[1]
    other_salt = signing.Signer(salt="something-else").sign_object({"c": "email", "a": "victim@example.org"})
    token = tampered.format(good=good, good_other_salt=other_salt)
    response = Client().post(f"/notifications/unsubscribe/{token}")
    assert response.status_code == 404
    assert not Unsubscribe.objects.exists()


def test_the_pages_speak_spanish_too(people):
    link = unsubscribe_link(Channel.SMS, "+13105550123")
    response = Client(headers={"accept-language": "es"}).get(path_of(link))
    html = response.content.decode()
    assert "Darme de baja" in html and "SMS" in html and "3105550123" not in html


@pytest.mark.parametrize(
    ("language", "channel", "address", "asked", "done"),
    [
        ("en", Channel.EMAIL, "someone@example.org", "Stop messages from the City of Santa Monica",
         "The City of Santa Monica will send no more emails to this address."),
        ("es", Channel.EMAIL, "someone@example.org", "No recibir más mensajes de la Ciudad de Santa Mónica",
         "La Ciudad de Santa Mónica no enviará más correos a esta dirección."),
        ("en", Channel.SMS, "+13105550123", "Stop messages from the City of Santa Monica",
         "The City of Santa Monica will send no more text messages to this phone number."),
        ("es", Channel.SMS, "+13105550123", "No recibir más mensajes de la Ciudad de Santa Mónica",
         "La Ciudad de Santa Mónica no enviará más SMS a este número de teléfono."),
    ],
)  # fmt: skip
def test_the_pages_name_the_city_the_messages_come_from(people, language, channel, address, asked, done):
    path = path_of(unsubscribe_link(channel, address))
    browser = Client(headers={"accept-language": language})
    html = browser.get(path).content.decode()
    assert f"<title>{asked}</title>" in html and f"<h1>{asked}</h1>" in html
    html = browser.post(path).content.decode()
    assert done in html
    page = html[html.index("<main") : html.index("</main>")]  # the footer says "Powered by CityHall", rightly
    assert "CityHall" not in page
