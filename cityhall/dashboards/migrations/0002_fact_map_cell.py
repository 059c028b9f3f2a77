"""Each request's fact carries its hexagon-map cell; facts already kept get theirs from their request."""

from typing import Any

from django.db import migrations, models

# Written out (not imported) so this migration keeps meaning what it meant: resolution 8 from the
# stored resolution-10 cells (cityhall/geo/cells.py, parent_arithmetic).
MASK = (1 << 3 * (15 - 8)) - 1
OFFSET = (10 - 8) << 52


def fill_cells(apps: Any, schema_editor: Any) -> None:
    facts = apps.get_model("dashboards", "RequestFact")._meta.db_table
    requests = apps.get_model("requests", "ServiceRequest")._meta.db_table
    schema_editor.execute(
        f"UPDATE {facts} SET cell = COALESCE((SELECT (r.cell | {MASK}) - {OFFSET} FROM {requests} r "  # noqa: S608 -- names and numbers are ours
        f"WHERE r.id = {facts}.request_id), 0)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_rollups"),
        ("requests", "0012_event_kind_label_us_english"),
    ]

    operations = [
        migrations.AddField(
            model_name="requestfact",
            name="cell",
            field=models.BigIntegerField(
                default=0,
                help_text="The request's H3 cell at the maps' resolution (geo.cells.MAP_RESOLUTION); 0: no place.",
            ),
        ),
        migrations.RunPython(fill_cells, migrations.RunPython.noop),
    ]
