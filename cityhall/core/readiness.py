"""What `/readyz` checks: the database, the default storage and the migrations (docs/operations.md),
and what the apps add with `register` (the documents app: its production signing keys).

Each check answers `OK` or a short reason, never an exception's text (which could carry a path,
a host or a bucket name to whoever asks).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

OK = "ok"
PROBE_DIR = "health"
PROBE = b"cityhall readiness probe\n"


# An app's own checks, by the key /readyz answers them under; each returns OK or a short reason.
_registered: dict[str, Callable[[], str]] = {}


def register(name: str, check: Callable[[], str]) -> None:
    """Adds an app's check (from its AppConfig.ready), for /readyz and `cityhall serve`'s start."""
    _registered[name] = check


def app_checks() -> dict[str, str]:
    return {name: check() for name, check in _registered.items()}


def check_all() -> dict[str, str]:
    database = database_check()
    return {
        "database": database,
        "storage": storage_check(),
        # Without a database there is no telling which migrations are applied.
        "migrations": migrations_check() if database == OK else "unknown: the database does not answer",
        **app_checks(),
    }


def database_check() -> str:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unavailable"
    return OK


def storage_check() -> str:
    """Write a small file through Django's storage API (local files or a bucket alike), read it, delete it."""
    name = f"{PROBE_DIR}/readyz-{uuid.uuid4().hex}.txt"
    try:
        saved = default_storage.save(name, ContentFile(PROBE))
        try:
            with default_storage.open(saved, "rb") as probe:
                if probe.read() != PROBE:
                    return "unreadable: the probe read back differs"
        finally:
            default_storage.delete(saved)
    except Exception:  # any backend's failure (OSError, a bucket's client error) means "not ready"
        return "unwritable"
    return OK


def migrations_check() -> str:
    """OK when no migration of the code this process runs is left to apply (as `migrate --check`)."""
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return "unavailable"
    if not plan:
        return OK
    names = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return f"unapplied: {shown}"
