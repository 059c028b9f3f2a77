"""Indexes no query needs, dropped: every write kept them up (an import, for each of its rows).

The foreign keys of a request's department, assignee and crew lead composite indexes
(request_queue, request_assignee, request_crew) that serve every lookup the single-column ones did,
a deletion's ON DELETE SET NULL included; an event's request leads event_request_time. On
PostgreSQL Django also keeps a `varchar_pattern_ops` copy of each unique or indexed text column,
for LIKE 'prefix%': the tracking token and the Open311 batch token are only ever compared whole, so
theirs served nothing (the public id's stays: the staff queues find a request by the start of its
number). Fewer indexes to write is the import's gain (docs/operations.md, "Scale"); the plans
pinned by the tests (Open311's lists, the duplicate check, the staff queues) are unchanged.

The indexes are dropped by name (the names Django gives them alike on SQLite and PostgreSQL), as
0013 did: SQLite would rebuild the whole table to alter a foreign key. On PostgreSQL they are
dropped CONCURRENTLY, so the site's reads and writes go on (the expand rule, docs/operations.md).
"""

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

REQUESTS, EVENTS = "requests_servicerequest", "requests_requestevent"
# Each index, with its table and its columns as CREATE INDEX gives them (to put it back).
DROPPED = {
    "requests_servicerequest_department_id_81f31551": (REQUESTS, '"department_id"'),
    "requests_servicerequest_assignee_id_4bcb0c7d": (REQUESTS, '"assignee_id"'),
    "requests_servicerequest_crew_id_101d57f2": (REQUESTS, '"crew_id"'),
    "requests_requestevent_request_id_f5d3f643": (EVENTS, '"request_id"'),
}
POSTGRESQL_ONLY = {
    "requests_servicerequest_tracking_token_d764765b_like": (REQUESTS, '"tracking_token" varchar_pattern_ops'),
    "requests_servicerequest_batch_token_d995bfa6_like": (REQUESTS, '"batch_token" varchar_pattern_ops'),
}


def _indexes(schema_editor: Any) -> dict[str, tuple[str, str]]:
    postgres = schema_editor.connection.vendor == "postgresql"
    return DROPPED | POSTGRESQL_ONLY if postgres else DROPPED


def _online(schema_editor: Any) -> str:
    return " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""


def drop(apps: Any, schema_editor: Any) -> None:
    for name in _indexes(schema_editor):
        schema_editor.execute(f'DROP INDEX{_online(schema_editor)} IF EXISTS "{name}"')


def create(apps: Any, schema_editor: Any) -> None:
    for name, (table, columns) in _indexes(schema_editor).items():
        schema_editor.execute(f'CREATE INDEX{_online(schema_editor)} IF NOT EXISTS "{name}" ON "{table}" ({columns})')


def _unindexed(model_name: str, name: str, to: str, **options: Any) -> migrations.AlterField:
    """The foreign key as it was, without the index of its own."""
    field = models.ForeignKey(db_index=False, to=to, **options)
    return migrations.AlterField(model_name=model_name, name=name, field=field)


SET_NULL = {"blank": True, "null": True, "on_delete": django.db.models.deletion.SET_NULL}


class Migration(migrations.Migration):
    atomic = False  # DROP INDEX CONCURRENTLY runs outside a transaction

    dependencies = [
        ("catalogue", "0009_service_sensitive"),
        ("requests", "0016_notify_on_events"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                _unindexed(
                    "requestevent",
                    "request",
                    "requests.servicerequest",
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="events",
                ),
                _unindexed(
                    "servicerequest", "assignee", settings.AUTH_USER_MODEL, related_name="assigned_requests", **SET_NULL
                ),
                _unindexed(
                    "servicerequest",
                    "crew",
                    "catalogue.crew",
                    related_name="requests",
                    help_text="The field crew working it; with an assignee too, that person leads it.",
                    **SET_NULL,
                ),
                _unindexed("servicerequest", "department", "catalogue.department", related_name="requests", **SET_NULL),
            ],
            database_operations=[migrations.RunPython(drop, create)],
        ),
    ]
