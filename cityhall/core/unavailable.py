"""A lost database is a 503 with Retry-After, in the caller's format, never a 500.

Django turns any exception that escapes a view or a middleware into a call of the URL map's
`handler500` (in both chains of config/wsgi.py, which share one URL map). `server_error_handler`
builds that handler: when the database cannot be reached it answers 503 through the responder
registered for the path's prefix (Open311 registers its error format) or an HTML page; anything
else stays Django's 500. The next request simply connects again (settings: CONN_HEALTH_CHECKS).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Mapping

from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

from . import city_names

# Long enough for a database restart or a fail-over, short enough that a client retrying soon succeeds.
RETRY_AFTER_SECONDS = 10

# PostgreSQL's SQLSTATEs for "the connection is gone": class 08 (connection exception) and the server
# shutting down, crashed or still starting up. A request caught by a restart sees one of these even
# when the server is back by the time its error is rendered.
_CONNECTION_LOST = ("08", "57P01", "57P02", "57P03")

Responder = Callable[[HttpRequest], HttpResponse]


def database_answers(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether a new connection can run a query. Leaves the request's own connection alone."""
    probe = connections.create_connection(alias)
    try:
        with probe.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    finally:
        # A connection that never opened, or died, has nothing left to close.
        with contextlib.suppress(DatabaseError):
            probe.close()
    return True


def database_unavailable(error: BaseException | None) -> bool:
    """Whether `error` means the database cannot be reached, rather than a fault in a query.

    It can when connecting failed (the request has no open connection: a refused connection, or a
    server still starting up, even if it is up by now), when the server dropped the connection, or
    when a fresh connection fails too. SQLite reports a missing table as OperationalError as well:
    with its connection open and the database answering, that is a fault to see, a 500.
    """
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    sqlstate = getattr(error.__cause__, "sqlstate", None) or ""
    if sqlstate.startswith(_CONNECTION_LOST) or connections[DEFAULT_DB_ALIAS].connection is None:
        return True
    return not database_answers()


def unavailable_page(request: HttpRequest) -> HttpResponse:
    """The HTML answer. Rendered without the request's context: its processors may need the database, so
    the frame names the city as a site with none set up does."""
    frame = {"site_name": city_names.alone(None), **city_names.sentence_forms(None)}
    return HttpResponse(render_to_string("core/unavailable.html", frame), status=503)


def server_error_handler(
    *,
    unavailable: Mapping[str, Responder],
    otherwise: Responder = defaults.server_error,
) -> Callable[[HttpRequest], HttpResponse]:
    """The `handler500` view: a lost database is a 503 through the responder registered for the path's
    prefix in `unavailable` (an HTML page when none is); any other fault is `otherwise`'s 500."""

    def server_error(request: HttpRequest) -> HttpResponse:
        # Django calls the handler inside its `except` block, so the exception is still at hand.
        if not database_unavailable(sys.exc_info()[1]):
            return otherwise(request)
        path = request.path_info
        respond = next(
            (responder for prefix, responder in unavailable.items() if path.startswith(prefix)), unavailable_page
        )
        response = respond(request)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    return server_error
