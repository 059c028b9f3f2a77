"""Log lines: the request id on each, and JSON in production (docs/operations.md, "Logs").

`settings.LOGGING` uses `RequestIdFilter` on its one handler and picks `json` or `console` by
CITYHALL_LOG_FORMAT. The request and task lines are written by `core/observe.py` and
`core/task_observer.py` to the `cityhall.http` and `cityhall.tasks` loggers.
"""

from __future__ import annotations

import logging

from pythonjsonlogger.core import RESERVED_ATTRS

from . import request_id

# Fields every JSON line carries, in this order; a line's own fields (`extra=`) follow.
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"
# Django's own loggers (django.request, django.server) pass the HttpRequest as an extra field: written
# out, it would put the whole address, query string included (tokens, addresses), on the line.
NOT_WRITTEN = [*RESERVED_ATTRS, "request", "server_time"]


class RequestIdFilter(logging.Filter):
    """Puts the current request id (None outside a request or a task) on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.current()
        return True


def logging_config(log_format: str, level: str) -> dict[str, object]:
    """`settings.LOGGING` for one of the two formats.

    JSON: one object a line, with the request and task lines (INFO) — for a log collector. Console
    (development): messages as before, the request and task lines at `level` like the rest, since
    gunicorn's own access log already prints each request there.
    """
    json = log_format == "json"
    lines_level = "INFO" if json else level
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "cityhall.core.logs.RequestIdFilter"}},
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": JSON_FIELDS,
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
                "datefmt": "%Y-%m-%dT%H:%M:%S%z",
                "reserved_attrs": NOT_WRITTEN,
            },
            "console": {"format": "%(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": "json" if json else "console",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "cityhall.http": {"level": lines_level},
            "cityhall.tasks": {"level": lines_level},
            "cityhall.periodic": {"level": lines_level},
        },
    }
