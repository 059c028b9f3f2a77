"""Preferences (topics, channel, daily digest) through the page; digests with the clock moved; staff summaries."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone

from cityhall.core import clock
from cityhall.requests.tests.builders import actor, submit
from cityhall.requests.workflow import Action, Role

from ..models import Message, MessageStatus, Preference
from ..services.digests import digest_day
from ..tasks import send_daily_digests
from .helpers import act, subject_of, text_of

pytestmark = pytest.mark.django_db


def choose(browser: Client, **fields: object) -> object:
    return browser.post("/notifications/preferences", fields)


@pytest.fixture
def resident_browser(people) -> Client:
    browser = Client()
    browser.force_login(people["resident"])
    return browser


def test_the_page_needs_an_account(db):
    response = Client().get("/notifications/preferences")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "en",
            (
                "Choose how and when the city tells you about your requests",
                "even when this site is not open.",
                "You aren't watching any areas yet.",
                "You aren't following any requests yet.",
            ),
        ),
        (
            "es",
            (
                "Elija cómo y cuándo la ciudad le avisa de sus solicitudes",
                "aunque no tenga este sitio abierto.",
                "Todavía no vigila ninguna zona.",
                "Todavía no sigue ninguna solicitud.",
            ),
        ),
    ],
)
def test_the_page_speaks_of_the_city_and_of_nothing_watched_or_followed_yet(
    resident_browser, settings, language, words
):
    from ..management.commands.generate_vapid_keys import vapid_key_pair

    settings.CITYHALL_VAPID_PUBLIC_KEY, settings.CITYHALL_VAPID_PRIVATE_KEY = vapid_key_pair()
    settings.CITYHALL_VAPID_SUBJECT = "mailto:it@example.org"  # web push on: the page shows its device section
    html = resident_browser.get("/notifications/preferences", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    main = unescape(html[html.index("<main") : html.index("</main>")])
    for said in words:
        assert said in main
    assert "CityHall" not in main  # the program's name is not who tells you ("Powered by" stays in the footer)
    assert "watch no area" not in main and "follow no request" not in main


def test_turning_a_topic_off_stops_those_messages_and_keeps_the_others(
    resident_browser, service, people, smtp, committed
):
    response = choose(resident_browser, channel="email", delivery="instant", topics=["receipt", "resolved", "closed"])
    assert response.status_code == 302
    page = resident_browser.get("/notifications/preferences").content.decode()
    assert "Your choices are saved." in page
    assert Preference.objects.get(user=people["resident"]).muted == ["taken_up", "reply", "on_hold", "reopened"]

    with committed():
        request = submit(service("potholes"), reporter=people["resident"])
    with committed():
        act(request, Action.COMMENT, actor(people["staff"], Role.STAFF), public_note="On our list.")
    assert [subject_of(m) for m in smtp.to("resident@example.org")] == [
        f"We received your request #{request.public_id}: Potholes"
    ]
    muted = Message.objects.get(template="reply")
    assert muted.status == MessageStatus.SKIPPED and "preferences" in muted.last_error


def test_texts_need_a_phone_in_the_profile(resident_browser, people):
    response = choose(resident_browser, channel="sms", delivery="instant", topics=["receipt"])
    assert response.status_code == 400
    assert "Add a phone number to your profile first" in response.content.decode()
    assert not Preference.objects.exists()


def test_with_texts_chosen_the_messages_go_by_sms(resident_browser, people, service, sms_api, smtp, committed):
    resident = people["resident"]
    resident.phone = "310-555-0188"
    resident.save(update_fields=["phone"])
    choose(resident_browser, channel="sms", delivery="instant", topics=["receipt"])
    with committed():
        submit(service("potholes"), reporter=resident)
    assert smtp.to(resident.email) == []
    (text,) = sms_api.calls
    assert text.form["To"] == "+13105550188" and "We received your request" in text.form["Body"]


def test_a_daily_digest_carries_the_days_messages_once_at_the_hour(resident_browser, people, service, smtp, committed):
    choose(resident_browser, channel="email", delivery="daily", topics=["receipt", "taken_up", "resolved"])
    with committed():
        request = submit(service("potholes"), reporter=people["resident"])
    with committed():
        act(request, Action.ASSIGN, actor(people["staff"], Role.STAFF), assignee=people["crew"])
    assert smtp.to("resident@example.org") == []  # held for the digest
    assert Message.objects.filter(recipient_kind="reporter", status=MessageStatus.HELD).count() == 2

    next_digest = digest_day(timezone.now()).cut + timedelta(days=1)
    with clock.travel(next_digest - timedelta(minutes=1)):
        send_daily_digests.call()
    assert smtp.to("resident@example.org") == []  # not yet its hour

    with clock.travel(next_digest + timedelta(minutes=5)):
        send_daily_digests.call()
        send_daily_digests.call()  # the same task again: nothing new
    (digest,) = smtp.to("resident@example.org")
    # The site's city, as its pages say it.
    assert subject_of(digest) == "Your digest from the City of Santa Monica: 2 updates"
    text = text_of(digest)
    assert f"We received your request #{request.public_id}: Potholes" in text
    assert f"Someone is working on your request #{request.public_id}" in text
    assert "because you chose it in your preferences" in text
    carried = Message.objects.filter(recipient_kind="reporter")
    assert set(carried.values_list("status", flat=True)) == {MessageStatus.SENT}
    assert all(message.provider_id.startswith("in digest") for message in carried)


def test_staff_get_a_daily_summary_of_open_and_overdue_work(people, service, smtp):
    with clock.travel(timezone.now() - timedelta(days=20)):
        late = submit(service("potholes"), reporter=people["resident"])
        act(late, Action.ASSIGN, actor(people["staff"], Role.STAFF), assignee=people["crew"])
    fresh = submit(service("potholes"), reporter=people["resident"])
    act(fresh, Action.ASSIGN, actor(people["staff"], Role.STAFF), assignee=people["crew"])

    with clock.travel(digest_day(timezone.now()).cut + timedelta(days=1, minutes=5)):
        send_daily_digests.call()
        send_daily_digests.call()
    (summary,) = smtp.to("crew@example.org")
    assert subject_of(summary) == "Your work today: 2 open, 1 overdue"
    text = text_of(summary)
    assert f"#{late.public_id} Potholes — OVERDUE" in text and f"#{fresh.public_id} Potholes" in text
    (supervisor,) = smtp.to("supervisor@example.org")
    assert "In the queue you supervise, 1 request is overdue:" in " ".join(text_of(supervisor).split())
    assert smtp.to("staff@example.org") == []  # nothing open on their name, no queue to supervise


def test_staff_may_turn_the_summary_off(people, service, smtp):
    browser = Client()
    browser.force_login(people["crew"])
    response = browser.post("/notifications/preferences", {"channel": "email", "delivery": "instant"})
    assert response.status_code == 302
    request = submit(service("potholes"), reporter=people["resident"])
    act(request, Action.ASSIGN, actor(people["staff"], Role.STAFF), assignee=people["crew"])
    with clock.travel(digest_day(timezone.now()).cut + timedelta(days=1, minutes=5)):
        send_daily_digests.call()
    assert smtp.to("crew@example.org") == []


def test_a_late_request_on_hold_is_open_work_but_not_overdue_in_the_summaries(people, service, smtp):
    with clock.travel(timezone.now() - timedelta(days=20)):
        waiting = submit(service("potholes"), reporter=people["resident"])
        act(waiting, Action.ASSIGN, actor(people["staff"], Role.STAFF), assignee=people["crew"])
        act(waiting, Action.HOLD, actor(people["crew"], Role.CREW), reason="Waiting for asphalt.")
        late = submit(service("potholes"), reporter=people["resident"])
        act(late, Action.ASSIGN, actor(people["staff"], Role.STAFF), assignee=people["crew"])

    with clock.travel(digest_day(timezone.now()).cut + timedelta(days=1, minutes=5)):
        send_daily_digests.call()
    (summary,) = smtp.to("crew@example.org")
    assert subject_of(summary) == "Your work today: 2 open, 1 overdue"
    text = text_of(summary)
    assert f"#{late.public_id} Potholes — OVERDUE" in text
    assert f"#{waiting.public_id} Potholes" in text and f"#{waiting.public_id} Potholes — OVERDUE" not in text
    (supervisor,) = smtp.to("supervisor@example.org")
    assert "In the queue you supervise, 1 request is overdue:" in " ".join(text_of(supervisor).split())
