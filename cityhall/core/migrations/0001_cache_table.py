"""Django's database cache table, so `cityhall migrate` is the only step a release needs.

The cache holds the rate limits' counts (public writes and sign-ins); in the database, every web
process counts against the same limit (settings.CACHES).
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):  # type: ignore[no-untyped-def]
    # Creates only the tables missing, so it is safe on a database that already has it.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
