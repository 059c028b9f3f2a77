"""The stream (server-sent events) and its polling fallback.

The stream is meant for the ASGI server (`cityhall serve` runs one beside the WSGI workers),
where a waiting connection costs a coroutine. A WSGI worker can serve it too — the development
server and the tests do — but there it holds a thread, so it ends after a while and the browser
reconnects; where WSGI workers must not hold connections at all (gunicorn's sync workers),
`CITYHALL_LIVE_STREAM_OVER_WSGI=false` makes it answer 204, which tells the browser to poll.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Iterator

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core import signing
from django.core.handlers.asgi import ASGIRequest
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .feed import LOOKBACK_IDS, POLL_SECONDS, Change, Cursor, Source, broadcaster_for, changes_after, source_for
from .topics import unsign

HEARTBEAT_SECONDS = 15
WSGI_STREAM_SECONDS = 60  # then the browser reconnects (with Last-Event-ID), freeing the thread
# A WSGI server learns that the page has gone only when a write fails: a short comment this often
# ends a stream within seconds of its page closing, instead of reading on for a minute.
WSGI_HEARTBEAT_SECONDS = 2
RETRY_MS = 1000


def _parse(request: HttpRequest) -> tuple[frozenset[str], int | None] | None:
    """The topics, and the last event the page has seen (None: it has no position yet)."""
    position = request.headers.get("Last-Event-ID") or request.GET.get("after")
    try:
        topics = unsign(request.GET.get("t", ""))
        after = None if position is None else max(int(position), 0)
    except (signing.BadSignature, ValueError):
        return None
    return topics, after


def _message(change: Change, topic: str) -> str:
    data = json.dumps({"topic": topic, "event": change.event_id})
    return f"id: {change.event_id}\nevent: changed\ndata: {data}\n\n"


def _matching(change: Change, topics: frozenset[str]) -> str | None:
    return next((topic for topic in change.topics if topic in topics), None)


@require_safe
@never_cache
def stream(request: HttpRequest) -> HttpResponseBase:
    parsed = _parse(request)
    if parsed is None:
        return HttpResponseBadRequest("Unknown stream.", content_type="text/plain")
    topics, after = parsed
    if isinstance(request, ASGIRequest):
        # The stream may stay open for hours and reads nothing itself (the process's one reader does):
        # give back the connection this request's middleware opened now, not when the page closes.
        # Held, there was one idle PostgreSQL connection per open page, and max_connections ran out.
        connection.close()
        content: Iterator[str] | AsyncIterator[str] = _async_stream(topics, after)
    elif settings.CITYHALL_LIVE_STREAM_OVER_WSGI:
        content = _sync_stream(topics, after, source_for(topics))
    else:
        return HttpResponse(status=204)  # "don't reconnect": the page falls back to polling
    response = StreamingHttpResponse(content, content_type="text/event-stream")
    response["X-Accel-Buffering"] = "no"  # proxies must pass each message on at once
    # The stream carries event ids only and needs no cookie, so any page of the site may open it
    # from another origin (the ASGI server listens on its own port).
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _sync_stream(topics: frozenset[str], after: int | None, source: Source) -> Iterator[str]:
    cursor = Cursor(source.latest() if after is None else after, source=source)
    pause = threading.Event()
    yield f"retry: {RETRY_MS}\n\n"
    started = last_sent = time.monotonic()
    while time.monotonic() - started < WSGI_STREAM_SECONDS:
        try:
            changes = cursor.advance()
        except DatabaseError:
            changes = []  # busy (SQLite's lock) or a blip: read again at the next turn
        for change in changes:
            topic = _matching(change, topics)
            if topic is not None:
                last_sent = time.monotonic()
                yield _message(change, topic)
        if time.monotonic() - last_sent > WSGI_HEARTBEAT_SECONDS:
            last_sent = time.monotonic()
            yield ": still here\n\n"
        pause.wait(POLL_SECONDS)


async def _async_stream(topics: frozenset[str], after: int | None) -> AsyncIterator[str]:
    queue: asyncio.Queue[tuple[Change, str]] = asyncio.Queue()
    source = source_for(topics)
    broadcaster = broadcaster_for(source)
    subscriber = broadcaster.subscribe_async(topics, queue)
    sent: set[int] = set()
    try:
        yield f"retry: {RETRY_MS}\n\n"
        missed = await sync_to_async(_start_and_catch_up, thread_sensitive=False)(after, source)
        for change in missed:
            topic = _matching(change, topics)
            if topic is not None:
                sent.add(change.event_id)
                yield _message(change, topic)
        while True:
            try:
                change, arrived_topic = await asyncio.wait_for(queue.get(), HEARTBEAT_SECONDS)
            except TimeoutError:
                yield ": still here\n\n"
                continue
            if change.event_id not in sent:
                sent.add(change.event_id)
                yield _message(change, arrived_topic)
    finally:
        broadcaster.unsubscribe(subscriber)


def _start_and_catch_up(after: int | None, source: Source) -> list[Change]:
    """Runs in a pool thread: its connection is closed here, not left open in the pool."""
    try:
        broadcaster_for(source).ensure_started()
        return [] if after is None else changes_after(after, source=source)
    finally:
        connection.close()


@require_safe
@never_cache
def poll(request: HttpRequest) -> HttpResponse:
    """What changed since `after`; the page keeps the ids it has seen, as the stream does."""
    parsed = _parse(request)
    if parsed is None:
        return JsonResponse({"error": "Unknown stream."}, status=400)
    topics, after = parsed
    source = source_for(topics)
    if after is None:
        return JsonResponse({"after": source.latest(), "changes": []})
    changes = changes_after(max(0, after - LOOKBACK_IDS), source=source)
    found = [
        {"topic": topic, "event": change.event_id}
        for change in changes
        if (topic := _matching(change, topics)) is not None
    ]
    return JsonResponse({"after": max([after, *(change.event_id for change in changes)]), "changes": found})
