"""What changed: the events table, read forward from an event id, as topic pings.

The streams follow the events table rather than a message bus: every service already records
each change there in the same transaction, so nothing can change without a ping, and the same code
runs on SQLite and PostgreSQL. One indexed range read per half second per process is the cost.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import DatabaseError, close_old_connections, connection

from cityhall.requests.selectors import events_after, latest_event_id

from .topics import topics_of

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.5
# PostgreSQL hands out event ids at insert time, so a transaction that started earlier can commit
# an id below one already seen. Re-reading this many ids behind the high-water mark (and skipping
# the ones seen) catches them; SQLite commits in id order and never needs it.
LOOKBACK_IDS = 200
BATCH = 500


@dataclass(frozen=True)
class Change:
    event_id: int
    topics: tuple[str, ...]


def changes_after(after: int, *, limit: int = BATCH) -> list[Change]:
    return [Change(row[0], topics_of(*row[1:])) for row in events_after(after, limit=limit)]


@dataclass
class Cursor:
    """Reads each change after `after` once, in commit order as far as the database lets us see it."""

    after: int
    seen: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.start = self.after  # what the reader had seen already: never sent again

    def advance(self) -> list[Change]:
        window = changes_after(max(self.start, self.after - LOOKBACK_IDS))
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
    deliver: Callable[[Change, str], None]


class Broadcaster:
    """One poller thread per process fans changes out to the async streams open in it.

    The thread runs only while someone listens, so a process with no open page reads nothing.
    """

    def __init__(self) -> None:
        self._subscribers: set[Subscriber] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._cursor: Cursor | None = None
        self._wake = threading.Event()

    def subscribe_async(self, topics: frozenset[str], queue: asyncio.Queue[tuple[Change, str]]) -> Subscriber:
        loop = asyncio.get_running_loop()

        def deliver(change: Change, topic: str) -> None:
            loop.call_soon_threadsafe(queue.put_nowait, (change, topic))

        subscriber = Subscriber(topics, deliver)
        with self._lock:
            self._subscribers.add(subscriber)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="cityhall-live", daemon=True)
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
                self._cursor = Cursor(latest_event_id())

    def _run(self) -> None:
        try:
            while True:
                with self._lock:
                    if not self._subscribers:
                        self._thread = None
                        self._cursor = None  # an idle process forgets; the next stream starts afresh
                        return
                    listening = list(self._subscribers)
                    if self._cursor is None:
                        self._cursor = Cursor(latest_event_id())
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
                for change in changes:
                    for subscriber in listening:
                        topic = next((topic for topic in change.topics if topic in subscriber.topics), None)
                        if topic is not None:
                            subscriber.deliver(change, topic)
                self._wake.wait(POLL_SECONDS)
                self._wake.clear()
        finally:
            connection.close()
            with self._lock:
                if self._thread is threading.current_thread():  # ended by an error: let the next stream restart it
                    self._thread = None
                    self._cursor = None


broadcaster = Broadcaster()
