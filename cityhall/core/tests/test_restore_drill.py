"""tools/restore-drill backs up the database and the stored files, restores them into a fresh database and
directory, and says PASS only when every table's count, the sampled requests and every file match."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from cityhall.requests.models import ServiceRequest
from cityhall.requests.tests.builders import submit

from .other_process import database_url

pytestmark = pytest.mark.django_db(transaction=True)  # the drill is another process: it reads what is committed

DRILL = Path(__file__).resolve().parents[3] / "tools" / "restore-drill"


def test_the_drill_restores_a_backup_and_says_pass(service, settings, tmp_path):
    for number in range(3):
        submit(service("potholes"), description=f"Pothole number {number}")
    default_storage.save("photos/2026/12/one.jpg", ContentFile(b"\xff\xd8 first photo"))
    default_storage.save("opendata/snapshots/2026-12-04/requests.csv", ContentFile(b"id,status\n1,open\n"))

    drill = subprocess.run(
        [str(DRILL), "--backup-dir", str(tmp_path / "backup")],
        env={**os.environ, "DATABASE_URL": database_url(), "CITYHALL_MEDIA_ROOT": str(settings.MEDIA_ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert drill.returncode == 0, drill.stdout + drill.stderr
    lines = drill.stdout.splitlines()
    assert lines[-1] == "PASS"
    assert f"requests: {ServiceRequest.objects.count()} sampled and compared column by column" in lines
    assert "files: 2 compared by SHA-256" in lines
    assert (
        tmp_path / "backup" / "media" / "photos" / "2026" / "12" / "one.jpg"
    ).read_bytes() == b"\xff\xd8 first photo"
    kept = "cityhall.dump" if "postgres" in database_url() else "cityhall.sqlite3"
    assert (tmp_path / "backup" / kept).stat().st_size > 0
