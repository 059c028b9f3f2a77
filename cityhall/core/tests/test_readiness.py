"""/readyz: ready when the database answers, the default storage writes and reads back and every
migration is applied; otherwise 503, naming what failed. /healthz only says the process is alive."""

from __future__ import annotations

import pytest
from django.db.migrations.recorder import MigrationRecorder

pytestmark = pytest.mark.django_db


def test_ready_when_database_storage_and_migrations_are(client, settings):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "database": "ok",
        "storage": "ok",
        "migrations": "ok",
        "signing": "ok",
    }
    assert response["Cache-Control"].startswith("max-age=0")
    # The probe leaves nothing behind in the storage.
    assert not any(path.is_file() for path in settings.MEDIA_ROOT.rglob("*"))
    assert client.post("/readyz").status_code == 405


def test_not_ready_while_a_migration_is_unapplied(client):
    """As after deploying a release whose migration has not run yet (the test's transaction restores it)."""
    MigrationRecorder.Migration.objects.filter(app="notifications").order_by("-id").first().delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == "ok" and body["storage"] == "ok"
    assert body["migrations"].startswith("unapplied: notifications.")
    assert client.get("/healthz").status_code == 200  # alive all the same: no restart needed


def test_not_ready_when_the_storage_cannot_be_written(client, settings, tmp_path):
    in_the_way = tmp_path / "not-a-directory"
    in_the_way.write_text("a file where the media directory should be")
    settings.MEDIA_ROOT = in_the_way
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "storage": "unwritable",
        "migrations": "ok",
        "signing": "ok",
    }
    assert str(tmp_path) not in response.content.decode()  # no path, host or bucket name in the answer
