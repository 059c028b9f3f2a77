"""What changed: the events table, read forward from an event id, as topic pings.

The streams follow the events table rather than a message bus: every service already records
each change there in the same transaction, so nothing can change without a ping, and the same code
runs on SQLite and PostgreSQL. On SQLite the reader polls, one indexed range read per half second
per process. On PostgreSQL it also LISTENs: a trigger NOTIFYs when a transaction that wrote events
commits, and the reader wakes and reads at once (milliseconds instead of half the polling interval
on average), and otherwise reads only every few seconds. The notice is only a wake-up call: a lost
one (a broken listening connection) costs latency, never a change, since the reader falls back to
polling until it listens again.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, close_old_connections, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from cityhall.applications.selectors import application_events_after, latest_application_event_id
from cityhall.requests.selectors import EVENTS_CHANNEL, events_after, latest_event_id

from .topics import application_topics_of, is_application_topic, topics_of

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.5
# While listening (PostgreSQL), the table is still read this often without a notice: a safety net,
# and the bound on how late a change could be if a notice were ever lost.
LISTENING_READ_SECONDS = 5.0
# PostgreSQL hands out event ids at insert time, so a transaction that started earlier can commit
# an id below one already seen. Re-reading this many ids behind the high-water mark (and skipping
# the ones seen) catches them; SQLite commits in id order and never needs it.
LOOKBACK_IDS = 200
BATCH = 500


@dataclass(frozen=True)
class Change:
    event_id: int
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    """An events table the streams follow, read forward by id: the requests' or the applications'.

    A stream follows one (its topics say which: `source_for`), so its position is one table's event id.
    """

    name: str
    latest: Callable[[], int]
    read: Callable[[int, int], list[Change]]  # (after, limit)


def _request_changes(after: int, limit: int) -> list[Change]:
    return [Change(row[0], topics_of(*row[1:])) for row in events_after(after, limit=limit)]


def _application_changes(after: int, limit: int) -> list[Change]:
    rows = application_events_after(after, limit=limit)
    return [
        Change(event_id, application_topics_of(reference, departments)) for event_id, reference, departments in rows
    ]


REQUESTS = Source("requests", latest_event_id, _request_changes)
APPLICATIONS = Source("applications", latest_application_event_id, _application_changes)


def source_for(topics: Iterable[str]) -> Source:
    """Pages of applications follow the applications' events; every other page (and a mix) the requests'."""
    names = list(topics)
    return APPLICATIONS if names and all(is_application_topic(topic) for topic in names) else REQUESTS


def changes_after(after: int, *, limit: int = BATCH, source: Source = REQUESTS) -> list[Change]:
    return source.read(after, limit)


def wake_listeners(**_kwargs: Any) -> None:
    """Wake the live readers at once after application events commit (their table has no NOTIFY trigger).

    Connected to `applications.events.application_events_committed`, sent after the commit; on SQLite
    the readers poll anyway.
    """
    if connection.vendor == "postgresql" and settings.CITYHALL_LIVE_LISTEN:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, '')", [EVENTS_CHANNEL])


@dataclass
class Cursor:
    """Reads each change after `after` once, in commit order as far as the database lets us see it."""

    after: int
    seen: set[int] = field(default_factory=set)
    source: Source = REQUESTS

    def __post_init__(self) -> None:
        self.start = self.after  # what the reader had seen already: never sent again
        self.behind = False

    def advance(self) -> list[Change]:
        window = changes_after(max(self.start, self.after - LOOKBACK_IDS), source=self.source)
        self.behind = len(window) >= BATCH  # more to read at once, without waiting for a notice
        fresh = [change for change in window if change.event_id not in self.seen]
        for change in fresh:
            self.seen.add(change.event_id)
            self.after = max(self.after, change.event_id)
        floor = self.after - LOOKBACK_IDS
        self.seen = {event_id for event_id in self.seen if event_id > floor}
        return fresh


@dataclass(eq=False)
class Subscriber:
    topics: frozenset[str]
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[tuple[Change, str]]


def _put_all(deliveries: list[tuple[asyncio.Queue[tuple[Change, str]], tuple[Change, str]]]) -> None:
    for queue, item in deliveries:
        queue.put_nowait(item)


class Listener:
    """One LISTEN connection for the process's poller thread (PostgreSQL only).

    One per process, not one per stream: a stream is a coroutine and thousands share a process,
    while each PostgreSQL connection is a server process of its own (and counts against
    max_connections). The notice only says "read the table", so one reader per process, fanning
    out what it read, is all that is needed; the streams never touch the database.
    """

    def __init__(self) -> None:
        self._wrapper: BaseDatabaseWrapper | None = None

    def start(self) -> bool:
        """Listen, if this database can; False means poll. Call before reading, so no commit falls between."""
        if connection.vendor != "postgresql" or not settings.CITYHALL_LIVE_LISTEN:
            return False
        if self._wrapper is None:
            wrapper = connections.create_connection(DEFAULT_DB_ALIAS)  # Django's settings, not its pool
            try:
                wrapper.ensure_connection()  # autocommit: LISTEN takes effect at once
                wrapper.connection.execute(f"LISTEN {EVENTS_CHANNEL}")
            except DatabaseError:
                logger.warning("Live updates cannot LISTEN on PostgreSQL; polling the events table", exc_info=True)
                wrapper.close()
                return False
            self._wrapper = wrapper
        return True

    def wait(self, seconds: float) -> bool:
        """Wait up to `seconds` for a notice; True once one (or several) came."""
        assert self._wrapper is not None
        raw = self._wrapper.connection
        try:
            if not any(True for _ in raw.notifies(timeout=seconds, stop_after=1)):
                return False
            for _ in raw.notifies(timeout=0):  # the ones already here: one read serves them all
                pass
        except DatabaseError:
            logger.warning("Live updates lost their LISTEN connection; polling until it is back", exc_info=True)
            self.stop()
            return True  # read now: a notice may have been lost with the connection
        return True

    def stop(self) -> None:
        if self._wrapper is not None:
            self._wrapper.close()
            self._wrapper = None


class Broadcaster:
    """One poller thread per process fans changes out to the async streams open in it.

    The thread runs only while someone listens, so a process with no open page reads nothing
    (and, on PostgreSQL, holds no listening connection).
    """

    def __init__(self, source: Source = REQUESTS) -> None:
        self.source = source
        self._subscribers: set[Subscriber] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._cursor: Cursor | None = None
        self._wake = threading.Event()

    def subscribe_async(self, topics: frozenset[str], queue: asyncio.Queue[tuple[Change, str]]) -> Subscriber:
        subscriber = Subscriber(topics, asyncio.get_running_loop(), queue)
        with self._lock:
            self._subscribers.add(subscriber)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=f"cityhall-live-{self.source.name}", daemon=True)
                self._thread.start()
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        with self._lock:
            self._subscribers.discard(subscriber)
            if not self._subscribers:
                self._wake.set()  # the poller stops now rather than at its next turn

    def wait_idle(self, timeout: float) -> bool:
        """Wait until the poller has stopped (nobody listens) and closed its connection."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self._thread is None

    def ensure_started(self) -> None:
        """Fix where the poller starts reading (blocking: run it off the event loop).

        A stream subscribes first, then calls this, then catches up from its page's event id: every
        change is then either in its catch-up or delivered by the poller (the stream drops doubles).
        """
        with self._lock:
            if self._cursor is None:
                self._cursor = Cursor(self.source.latest(), source=self.source)

    def _run(self) -> None:
        listener = Listener()  # the thread's own: a thread ending may still close it as the next begins
        try:
            listening = listener.start()
            while True:
                with self._lock:
                    if not self._subscribers:
                        self._thread = None
                        self._cursor = None  # an idle process forgets; the next stream starts afresh
                        return
                    subscribers = list(self._subscribers)
                    if self._cursor is None:
                        self._cursor = Cursor(self.source.latest(), source=self.source)
                    cursor = self._cursor
                close_old_connections()
                try:
                    changes = cursor.advance()
                except DatabaseError:
                    # Busy (SQLite's lock) or a blip: the cursor has not moved, so the next turn reads
                    # the same changes. The poller must outlive it, or every open page goes quiet.
                    logger.warning("Live updates could not read the events table; retrying", exc_info=True)
                    connection.close()
                    changes = []
                _fan_out(changes, subscribers)
                if not cursor.behind:
                    listening = self._pause(listener, listening)
        finally:
            listener.stop()
            connection.close()
            with self._lock:
                if self._thread is threading.current_thread():  # ended by an error: let the next stream restart it
                    self._thread = None
                    self._cursor = None

    def _pause(self, listener: Listener, listening: bool) -> bool:
        """Until the next read: a notice, or the polling interval; the last stream leaving ends it early.

        Returns whether the process is (still, or again) listening.
        """
        if not listening:
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()
            return listener.start()  # back to listening once PostgreSQL lets us
        deadline = time.monotonic() + LISTENING_READ_SECONDS
        while not self._wake.is_set() and (remaining := deadline - time.monotonic()) > 0:
            # In slices of the polling interval, so that a process nobody listens to stops as soon as it would polling.
            if listener.wait(min(POLL_SECONDS, remaining)):
                break
        self._wake.clear()
        return listener.start()


def _fan_out(changes: list[Change], subscribers: list[Subscriber]) -> None:
    """Hand each change to the streams that listen to one of its topics.

    One call into each event loop for the whole batch, not one per stream: every such call wakes the
    loop, and with hundreds of pages open on one request the wake-ups were most of the delivery time.
    """
    batches: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Queue[tuple[Change, str]], tuple[Change, str]]]] = {}
    for change in changes:
        for subscriber in subscribers:
            topic = next((topic for topic in change.topics if topic in subscriber.topics), None)
            if topic is not None:
                batches.setdefault(subscriber.loop, []).append((subscriber.queue, (change, topic)))
    for loop, deliveries in batches.items():
        loop.call_soon_threadsafe(_put_all, deliveries)


broadcaster = Broadcaster(REQUESTS)
application_broadcaster = Broadcaster(APPLICATIONS)


def broadcaster_for(source: Source) -> Broadcaster:
    return application_broadcaster if source is APPLICATIONS else broadcaster
