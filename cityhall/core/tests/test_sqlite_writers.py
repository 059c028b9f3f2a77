"""The default install's writers queue on one lock (cityhall/core/sqlite): each gets in, in turn, and a
writer that would wait past the database's timeout is refused with SQLite's own error, writing nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the writers' queue is the SQLite backend's"),
]

INSERT = "INSERT INTO cityhall_cache (cache_key, value, expires) VALUES (%s, 'x', '2999-01-01 00:00:00')"


@pytest.fixture
def other() -> Iterator[BaseDatabaseWrapper]:
    """A second connection to the test database, as another web process would hold, patient for 50 ms."""
    if connection.is_in_memory_db():
        pytest.skip("two connections need a database file: set CITYHALL_TEST_SQLITE, as make test does")
    second = connections.create_connection("default")
    second.inc_thread_sharing()  # one test hands it to a thread of its own
    second.settings_dict = {
        **connection.settings_dict,
        "OPTIONS": {**connection.settings_dict["OPTIONS"], "timeout": 0.05},
    }
    yield second
    second.close()
    second.dec_thread_sharing()


def keys() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM cityhall_cache ORDER BY cache_key")
        return [row[0] for row in cursor.fetchall()]


def write_in_transaction(wrapper: BaseDatabaseWrapper, key: str) -> None:
    wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    try:
        with wrapper.cursor() as cursor:
            cursor.execute(INSERT, [key])
        wrapper.commit()
    finally:
        if not wrapper.get_autocommit():
            wrapper.rollback()
        wrapper.set_autocommit(True)


def test_a_second_writer_waits_for_the_first_then_writes(other):
    done: list[str] = []
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(INSERT, ["first"])
        other.settings_dict["OPTIONS"]["timeout"] = 20
        second = threading.Thread(target=lambda: (write_in_transaction(other, "second"), done.append("second")))
        second.start()
    second.join()
    assert done == ["second"]
    assert keys() == ["first", "second"]


def test_a_writer_that_would_wait_too_long_is_refused_and_writes_nothing(other):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(INSERT, ["first"])
        with pytest.raises(OperationalError, match="database is locked"):
            write_in_transaction(other, "in a transaction")
        with pytest.raises(OperationalError, match="database is locked"), other.cursor() as cursor:
            cursor.execute(INSERT, ["on its own"])  # a write outside a transaction queues too
    assert keys() == ["first"]


def test_a_rolled_back_transaction_lets_the_next_writer_in(other):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(INSERT, ["undone"])
        1 / 0  # noqa: B018 - a failure inside the transaction
    write_in_transaction(other, "next")
    with other.cursor() as cursor:
        cursor.execute(INSERT, ["after"])
    assert keys() == ["after", "next"]
