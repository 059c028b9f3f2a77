"""A database that cannot be reached is a 503 with Retry-After in the caller's format, never a 500,
and the next request after it is back succeeds without a restart (issue 18, crash drills).

The database is made unreachable for real: on PostgreSQL the connection settings point at a
loopback port that is bound but not listening (connection refused), on SQLite at a file in a
directory that does not exist (unable to open). The tests are transactional because the
connection has to be closed and opened again.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import DatabaseError, connection
from django.test import Client

from cityhall.core.unavailable import RETRY_AFTER_SECONDS, database_unavailable
from cityhall.requests.models import ServiceRequest

from .helpers import BASE, assert_error, call_wsgi, created_id, report

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("santa_monica")]


@contextlib.contextmanager
def database_unreachable(tmp_path: Path) -> Iterator[None]:
    settings = connection.settings_dict
    saved = dict(settings)
    with socket.socket() as closed:
        if connection.vendor == "postgresql":
            closed.bind(("127.0.0.1", 0))  # held, never listening: nothing else can answer there
            settings.update(HOST="127.0.0.1", PORT=str(closed.getsockname()[1]))
        elif connection.is_in_memory_db():
            pytest.skip("an in-memory SQLite database disappears with its connection; set CITYHALL_TEST_SQLITE")
        else:
            settings["NAME"] = str(tmp_path / "no such directory" / "cityhall.sqlite3")
        connection.close()
        try:
            yield
        finally:
            connection.close()
            settings.clear()
            settings.update(saved)


def test_the_resident_app_answers_a_503_page_in_the_persons_language(tmp_path):
    client = Client(raise_request_exception=False)
    with database_unreachable(tmp_path):
        response = client.get("/requests", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Vuelva a intentarlo en un minuto" in html
    # The city cannot be read: the frame names it as a site with none set up does, never as the product.
    assert "Servicios municipales</a>" in html and "Un sitio web oficial de la ciudad" in html
    assert "CityHall" not in html[: html.index("<footer")]
    # Back without a restart: the same process connects again on the next request.
    assert client.get("/requests").status_code == 200


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_open311_post_is_a_503_open311_error_and_writes_nothing(tmp_path, key, fmt):
    client = Client(raise_request_exception=False)
    before = ServiceRequest.objects.count()
    with database_unreachable(tmp_path):
        response = client.post(f"{BASE}requests.{fmt}", report(api_key=key))
    assert_error(response, 503, fmt)
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert ServiceRequest.objects.count() == before
    created_id(client.post(f"{BASE}requests.json", report(api_key=key)))


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_short_api_chain_answers_503_in_the_urls_format(tmp_path, fmt):
    with database_unreachable(tmp_path):
        answer = call_wsgi(f"/open311/v2/requests.{fmt}")
    assert answer.status_code == 503, answer.content[:300]
    assert answer.get("Retry-After") == str(RETRY_AFTER_SECONDS)
    assert answer.get("Content-Type").startswith("application/json" if fmt == "json" else "text/xml")
    assert b"503" in answer.content and b"temporarily unavailable" in answer.content
    assert call_wsgi(f"/open311/v2/requests.{fmt}").status_code == 200


def test_a_fault_in_a_query_while_the_database_answers_is_not_called_unavailable():
    # SQLite reports a missing table as OperationalError too; that is a bug to see (500), not an outage.
    with pytest.raises(DatabaseError) as fault, connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")
    assert not database_unavailable(fault.value)
