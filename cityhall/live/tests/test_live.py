"""Live streams through HTTP: who hears what, the stream itself (WSGI and ASGI), the polling fallback."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import sync_to_async
from django.db import connection
from django.template import Context, Template
from django.test import AsyncClient, RequestFactory

from cityhall.live import feed
from cityhall.live.feed import broadcaster
from cityhall.live.topics import department_topic, request_topic, sign, triage_topic
from cityhall.requests import services
from cityhall.requests.models import RequestEvent
from cityhall.requests.tests.builders import actor, submit
from cityhall.requests.workflow import Action, Role

pytestmark = pytest.mark.django_db


def _last_event_id() -> int:
    last = RequestEvent.objects.order_by("-id").first()
    return last.id if last else 0


def _route(request, department, agent):
    services.service_request_transition(
        service_request=request,
        action=Action.ROUTE,
        actor=actor(agent, Role.AGENT),
        change=services.Change(department=department),
    )


def _poll(client, topics, after):
    response = client.get("/live/poll", {"t": sign(topics), "after": after})
    assert response.status_code == 200
    return response.json()


def test_poll_reports_changes_to_the_topics_asked_for_and_no_others(client, service, public_works, santa_monica):
    from cityhall.accounts.models import User

    before = _last_event_id()
    watched = submit(service("potholes"))
    other = submit(service("potholes"))
    _route(watched, public_works, User.objects.get(email="agent@example.org"))

    body = _poll(client, [request_topic(watched.public_id)], before)

    assert {change["topic"] for change in body["changes"]} == {request_topic(watched.public_id)}
    assert len(body["changes"]) == watched.events.count()
    assert body["after"] >= max(change["event"] for change in body["changes"])
    queue = _poll(client, [department_topic(public_works.pk)], before)["changes"]
    # Every event of the requests now in the department: the queue shows them with their latest state.
    in_department = RequestEvent.objects.filter(request__department=public_works, id__gt=before)
    assert [change["event"] for change in queue] == list(in_department.order_by("id").values_list("id", flat=True))
    assert other.public_id not in json.dumps(body)


def test_triage_hears_arrivals_and_departures(client, service, public_works):
    from cityhall.accounts.models import User

    unrouted = service("potholes")
    unrouted.default_department = None
    unrouted.save()
    before = _last_event_id()
    arriving = submit(unrouted)
    assert arriving.department_id is None  # no department: it waits in triage
    _route(arriving, public_works, User.objects.get(email="agent@example.org"))
    heard = _poll(client, [triage_topic()], before)["changes"]
    assert [change["event"] for change in heard] == list(arriving.events.values_list("id", flat=True))
    assert len(heard) == 2  # it arrived, then it left
    assert _poll(client, [department_topic(public_works.pk)], before)["changes"][-1]["event"] == heard[-1]["event"]


def test_first_poll_without_a_position_only_learns_where_now_is(client, service):
    submit(service("potholes"))
    response = client.get("/live/poll", {"t": sign([triage_topic()])})
    assert response.json() == {"after": _last_event_id(), "changes": []}


@pytest.mark.parametrize("url", ["/live/poll", "/live/stream"])
def test_a_forged_or_missing_stream_token_is_refused(client, url):
    forged = sign([triage_topic()])[:-2] + "xx"
    assert client.get(url, {"t": forged}).status_code == 400
    assert client.get(url).status_code == 400


def test_wsgi_stream_catches_up_from_the_page_position(client, service):
    before = _last_event_id()
    request = submit(service("potholes"))
    response = client.get("/live/stream", {"t": sign([request_topic(request.public_id)]), "after": before})
    assert response["Content-Type"] == "text/event-stream"
    assert response["Cache-Control"].startswith("max-age=0")
    chunks = iter(response.streaming_content)
    assert next(chunks) == b"retry: 1000\n\n"
    message = next(chunks).decode()
    event_id = request.events.order_by("id").first().id
    data = json.dumps({"topic": f"request:{request.public_id}", "event": event_id})
    assert message == f"id: {event_id}\nevent: changed\ndata: {data}\n\n"
    response.close()


def test_wsgi_stream_resumes_after_the_last_event_the_browser_saw(client, service):
    first = submit(service("potholes"))
    second = submit(service("potholes"))
    topics = sign([request_topic(first.public_id), request_topic(second.public_id)])
    seen = first.events.order_by("id").last().id
    response = client.get("/live/stream", {"t": topics, "after": 0}, headers={"Last-Event-ID": str(seen)})
    chunks = iter(response.streaming_content)
    next(chunks)
    assert f"request:{second.public_id}" in next(chunks).decode()
    response.close()


def test_sync_workers_that_must_not_hold_streams_send_the_page_to_polling(client, settings):
    settings.CITYHALL_LIVE_STREAM_OVER_WSGI = False
    response = client.get("/live/stream", {"t": sign([triage_topic()])})
    assert response.status_code == 204


def _support(request, email="neighbour@example.org"):
    """A neighbour supports the request, from another thread (as another server process would)."""
    try:
        services.service_request_support(service_request=request, email=email)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_asgi_stream_delivers_a_change_made_after_it_opened(santa_monica, service):
    """The production path: the ASGI server's stream is woken by the process's poller thread."""
    request = submit(service("potholes"))
    topics = sign([request_topic(request.public_id)])

    async def listen() -> str:
        response = await AsyncClient().get("/live/stream", {"t": topics, "after": _last_id_now})
        chunks = aiter(response.streaming_content)
        assert await anext(chunks) == b"retry: 1000\n\n"
        await sync_to_async(_support, thread_sensitive=False)(request)
        message = await asyncio.wait_for(anext(chunks), timeout=10)
        await chunks.aclose()
        return message.decode()

    _last_id_now = _last_event_id()
    # Its own thread and event loop, as a server has: the browser tests' Playwright keeps a loop
    # running in this thread, where async_to_sync refuses to start another.
    with ThreadPoolExecutor(max_workers=1) as server:
        message = server.submit(asyncio.run, listen()).result(timeout=30)
    assert broadcaster.wait_idle(timeout=10)  # the poller lets go of its connection once nobody listens
    supported = request.events.get(kind=RequestEvent.Kind.SUPPORTED)
    assert message.startswith(f"id: {supported.id}\nevent: changed\n")


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_stream_wakes_on_notify_without_waiting_for_a_read(santa_monica, service, monkeypatch):
    """With its timed reads an hour apart, the ASGI stream still hears each change: PostgreSQL's NOTIFY woke it."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no LISTEN/NOTIFY: there the streams poll (the test above)")
    monkeypatch.setattr(feed, "LISTENING_READ_SECONDS", 3600)
    request = submit(service("potholes"))
    topics = sign([request_topic(request.public_id)])

    async def listen() -> list[str]:
        response = await AsyncClient().get("/live/stream", {"t": topics, "after": after})
        chunks = aiter(response.streaming_content)
        assert await anext(chunks) == b"retry: 1000\n\n"
        messages = []
        # The second change comes once the reader surely waits for a notice (the first it may have read anyway).
        for neighbour in ("first@example.org", "second@example.org"):
            await sync_to_async(_support, thread_sensitive=False)(request, neighbour)
            messages.append((await asyncio.wait_for(anext(chunks), timeout=10)).decode())
        await chunks.aclose()
        return messages

    after = _last_event_id()
    with ThreadPoolExecutor(max_workers=1) as server:
        messages = server.submit(asyncio.run, listen()).result(timeout=30)
    assert broadcaster.wait_idle(timeout=10)
    supported = request.events.filter(kind=RequestEvent.Kind.SUPPORTED).order_by("id")
    assert [message.split("\n")[0] for message in messages] == [f"id: {event.id}" for event in supported]


def test_pages_point_at_the_live_server_and_allow_it_in_their_policy(client, settings, service):
    settings.CITYHALL_LIVE_PORT = 8123
    settings.ALLOWED_HOSTS = ["city.example", "testserver"]
    request = RequestFactory().get("/", HTTP_HOST="city.example:8000")
    rendered = Template("{% load live %}{% live_stream topic %}").render(
        Context({"request": request, "topic": triage_topic()})
    )
    assert 'data-live-stream="http://city.example:8123/live/stream?t=' in rendered
    assert 'data-live-poll="/live/poll?t=' in rendered
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "connect-src 'self' http://testserver:8123" in policy
