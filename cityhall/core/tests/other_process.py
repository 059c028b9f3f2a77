"""For tests that run a command in another process against the test database."""

from __future__ import annotations

import os

import pytest
from django.db import connection


def database_url() -> str:
    """The test database, for another process (which sees only what is committed: use transaction=True)."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        if "memory" in database["NAME"]:
            pytest.skip(
                "another process needs a database file it can open: set CITYHALL_TEST_SQLITE, as make test does"
            )
        return f"sqlite:///{os.path.abspath(database['NAME'])}"
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    return f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
