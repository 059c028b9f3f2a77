"""The hexagon map's rows for every category at once (service 0), daily and monthly, filled from the
rows of single categories as a rebuild fills them, with an index of their own (partial: only those
rows, by day)."""

from typing import Any

from django.db import migrations, models

# The statements the rollups' refresh runs (fixed SQL over these tables' names).
from cityhall.dashboards.services.rollups import every_service_sql, fold_sql


def fill(apps: Any, schema_editor: Any) -> None:
    daily = str(apps.get_model("dashboards", "MapRollup")._meta.db_table)
    monthly = str(apps.get_model("dashboards", "MonthlyMapRollup")._meta.db_table)
    schema_editor.execute(every_service_sql(daily))
    vendor = schema_editor.connection.vendor
    schema_editor.execute(fold_sql(vendor, daily, monthly, "maprollup", "WHERE service_id = 0"))


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0006_monthly_and_map_rollups")]

    operations = [
        migrations.AddIndex(
            model_name=model,
            index=models.Index(
                condition=models.Q(service_id=0),
                fields=["day", "department_id", "zone_id", "channel", "cell", "measure", "bucket", "count"],
                name=name,
            ),
        )
        for model, name in (("maprollup", "map_every_service"), ("monthlymaprollup", "monthly_map_every_service"))
    ] + [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
