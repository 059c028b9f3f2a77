"""Django's SQLite backend, with one change: writers from every process queue on a file lock.

SQLite lets one writer in at a time. A second one that finds the database busy is made to sleep by
SQLite's busy handler, for 1, 2, 5, 10… milliseconds between tries, however soon the first
finishes: under a steady stream of writes from two web workers, those sleeps cost more than the
writes (docs/open311.md, "Performance on the default install"). So each transaction first takes an
exclusive `flock` on a file beside the database and holds it until it commits or rolls back (a
write outside a transaction, for its statement); a waiting writer tries again within a quarter
of a millisecond. Readers never take it (WAL lets them read while one writer writes), and SQLite's own
lock still guards the database: the file lock only orders those who would otherwise have queued
on it. A writer that waits longer than the database's `timeout` gets SQLite's own error, "database
is locked", as before.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

# How long a waiting writer sleeps between tries: short, since a web request's write lasts about a
# millisecond, and growing to a bound so a long one (an import) is not polled needlessly. The bound
# was 2 ms: under a stream of POSTs from two workers a waiter then overslept the holder's commit by
# most of a millisecond, while the holder took the lock again, and a third of the machine idled.
# At a quarter of a millisecond POSTs rose about a tenth (docs/open311.md, "Issue 19, fourth pass");
# a waiter polling through a whole import costs a few thousand cheap system calls a second.
FIRST_PAUSE, LONGEST_PAUSE = 0.00005, 0.00025
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC")


class QueuedWriterCursor(base.SQLiteCursorWrapper):
    """A write outside a transaction (autocommit) queues for the statement's length."""

    wrapper: DatabaseWrapper

    def execute(self, query: str, params: Any = None) -> Any:
        if not self.wrapper.autocommit or query.lstrip()[:6].upper() not in WRITES:
            return super().execute(query, params)
        with self.wrapper.writer_lock_held():
            return super().execute(query, params)

    def executemany(self, query: str, param_list: Any) -> Any:
        if not self.wrapper.autocommit:
            return super().executemany(query, param_list)
        with self.wrapper.writer_lock_held():
            return super().executemany(query, param_list)


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writer_lock: int | None = None  # the lock file, opened at the first write, closed with the connection
        self._holding = False

    def _lock_path(self) -> str | None:
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db():
            return None
        return f"{name}-writer.lock"

    def _take_writer_lock(self) -> None:
        path = self._lock_path()
        if path is None or self._holding:
            return
        if self._writer_lock is None:
            self._writer_lock = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        patience = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        give_up, pause = time.monotonic() + patience, FIRST_PAUSE
        while True:
            try:
                fcntl.flock(self._writer_lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > give_up:
                    raise OperationalError("database is locked") from None
                time.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE)
        self._holding = True

    def _release_writer_lock(self) -> None:
        if self._holding and self._writer_lock is not None:
            fcntl.flock(self._writer_lock, fcntl.LOCK_UN)
        self._holding = False

    @contextlib.contextmanager
    def writer_lock_held(self) -> Iterator[None]:
        if self._holding:  # inside a transaction, which holds the lock already
            yield
            return
        self._take_writer_lock()
        try:
            yield
        finally:
            self._release_writer_lock()

    def create_cursor(self, name: str | None = None) -> Any:
        cursor = self.connection.cursor(factory=QueuedWriterCursor)
        cursor.wrapper = self
        return cursor

    def _start_transaction_under_autocommit(self) -> None:
        self._take_writer_lock()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # Django's private hook, untyped in django-stubs
        except BaseException:
            self._release_writer_lock()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]  # untyped in django-stubs
        finally:
            self._release_writer_lock()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]  # untyped in django-stubs
        finally:
            self._release_writer_lock()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]  # untyped in django-stubs
        finally:
            self._release_writer_lock()
            if self._writer_lock is not None:
                os.close(self._writer_lock)
                self._writer_lock = None
