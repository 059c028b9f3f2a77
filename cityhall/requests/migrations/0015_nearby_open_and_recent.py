"""The duplicate prompt's indexes: open requests by (service, cell), finished ones by resolved_at too.

`nearby_requests` asks for a service's requests in a ring of H3 cells that are open, or were resolved
in the last days. Through (service, cell) alone PostgreSQL read every request those cells ever had
and filtered them: at 1,000,000 requests 4 ms median and 24 ms at worst, ten times that at 10,000,000
(bench/big_city.py, docs/operations.md "Scale"). Now the open ones come from a partial index and the
finished ones from (service, cell, resolved_at), combined in a BitmapOr; the old index's queries
are served by the new one's first two columns.

On PostgreSQL the indexes are built CONCURRENTLY, so a big city's writes go on meanwhile (the
expand rule in docs/operations.md); SQLite builds them plainly.
"""

from typing import Any

from django.db import migrations, models

OPEN = ["submitted", "routed", "assigned", "in_progress", "on_hold"]


class AddIndexOnline(migrations.AddIndex):
    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.add_index(model, self.index, concurrently=True)
        else:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        model = from_state.apps.get_model(app_label, self.model_name)
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.remove_index(model, self.index, concurrently=True)
        else:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class RemoveIndexOnline(migrations.RemoveIndex):
    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        model = from_state.apps.get_model(app_label, self.model_name)
        if schema_editor.connection.vendor == "postgresql":
            index = from_state.models[app_label, self.model_name_lower].get_index_by_name(self.name)
            schema_editor.remove_index(model, index, concurrently=True)
        else:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        if schema_editor.connection.vendor == "postgresql":
            index = to_state.models[app_label, self.model_name_lower].get_index_by_name(self.name)
            schema_editor.add_index(model, index, concurrently=True)
        else:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [
        ("catalogue", "0009_service_sensitive"),
        ("requests", "0014_channel_api"),
    ]

    operations = [
        # The open ones first, so the prompt is never without an index between the two steps below.
        AddIndexOnline(
            model_name="servicerequest",
            index=models.Index(
                condition=models.Q(("status__in", OPEN)), fields=["service", "cell"], name="request_open_service_cell"
            ),
        ),
        RemoveIndexOnline(model_name="servicerequest", name="request_service_cell"),
        AddIndexOnline(
            model_name="servicerequest",
            index=models.Index(fields=["service", "cell", "resolved_at"], name="request_service_cell"),
        ),
    ]
