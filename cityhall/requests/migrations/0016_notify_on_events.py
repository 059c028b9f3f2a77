"""On PostgreSQL, every statement that writes timeline events sends a NOTIFY on `cityhall_events`.

The server delivers it when (and only if) the transaction commits, once per transaction however many
rows it wrote (identical notices in one transaction are folded into one). It carries nothing: the
live streams (docs/live.md) wake on it and read the events table, which stays the source of truth.
A trigger rather than a statement in the service: it costs no extra round trip per write, and no
writer (a bulk import, a fix made in psql) can forget it. SQLite has no NOTIFY; its streams poll.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION cityhall_notify_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('cityhall_events', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER cityhall_notify_events AFTER INSERT ON requests_requestevent
    FOR EACH STATEMENT EXECUTE FUNCTION cityhall_notify_events();
"""

DROP = """
DROP TRIGGER IF EXISTS cityhall_notify_events ON requests_requestevent;
DROP FUNCTION IF EXISTS cityhall_notify_events();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("requests", "0015_nearby_open_and_recent"),
    ]

    operations = [migrations.RunPython(create, drop)]
