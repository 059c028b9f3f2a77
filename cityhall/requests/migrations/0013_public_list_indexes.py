"""The public list's indexes: no index on the jurisdiction alone, the service's index ends newest first.

SQLite would rebuild the whole requests table to drop a foreign key's index (Django's AlterField
remakes it there), a minute on the demo; the indexes are dropped by name instead, a name Django
gives them alike on SQLite and PostgreSQL.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "requests_servicerequest"
DROPPED = {  # the index Django made for each foreign key, and its column
    "requests_servicerequest_jurisdiction_id_9b8df6d0": "jurisdiction_id",
    "requests_servicerequest_service_id_53b12711": "service_id",
}


def _unindexed(name: str, to: str) -> migrations.AlterField:
    """The foreign key as it was, without the index of its own."""
    field = models.ForeignKey(
        db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="requests", to=to
    )
    return migrations.AlterField(model_name="servicerequest", name=name, field=field)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0009_service_sensitive"),
        ("requests", "0012_event_kind_label_us_english"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                _unindexed("jurisdiction", "catalogue.jurisdiction"),
                _unindexed("service", "catalogue.service"),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "{TABLE}" ("{column}")',
                )
                for name, column in DROPPED.items()
            ],
        ),
        migrations.AddIndex(
            model_name="servicerequest",
            index=models.Index(fields=["service", "-requested_at", "-id"], name="request_service_newest"),
        ),
    ]
