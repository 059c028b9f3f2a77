"""Nightly snapshots: every dataset in every download format, written to the default storage with checksums.

`opendata/snapshots/<date>/<dataset-id>.<csv|geojson|parquet>` plus `SHA256SUMS` (the format
`sha256sum -c` reads). Each file streams through a temporary file on disk while it is hashed, so
memory stays constant. SHA256SUMS is written last: a day with it is complete, so a second run the
same day (the task runs hourly) does nothing, and a run cut short is redone. Days older than
`CITYHALL_OPENDATA_SNAPSHOT_DAYS` are deleted.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from ..downloads import FORMATS, pieces
from ..registry import datasets
from ..selectors import CHECKSUMS, SNAPSHOTS_ROOT, snapshot_days

ROOT = SNAPSHOTS_ROOT


@dataclass(frozen=True)
class SnapshotReport:
    day: date
    written: int  # files written now (0: the day's snapshot was already complete)
    pruned: int  # files of days past the keeping period deleted


def snapshots_write(*, day: date | None = None) -> SnapshotReport:
    """Write the day's snapshot of every dataset unless it is complete, then prune old days."""
    day = day or timezone.localdate()
    folder = f"{ROOT}/{day.isoformat()}"
    written = 0
    if not default_storage.exists(f"{folder}/{CHECKSUMS}"):
        sums = []
        for chosen in datasets():
            for extension, file_format in FORMATS.items():
                name = f"{chosen.id}.{extension}"
                sums.append(f"{_save(f'{folder}/{name}', pieces(chosen, file_format))}  {name}\n")
                written += 1
        _save(f"{folder}/{CHECKSUMS}", [("".join(sums)).encode()])
    return SnapshotReport(day=day, written=written, pruned=_prune(day))


def _save(name: str, content: Iterable[bytes]) -> str:
    """Stream the pieces into storage under exactly `name`; returns their SHA-256."""
    digest = hashlib.sha256()
    with tempfile.TemporaryFile() as spool:
        for piece in content:
            digest.update(piece)
            spool.write(piece)
        spool.seek(0)
        if default_storage.exists(name):  # left by a run cut short: storage would otherwise rename ours
            default_storage.delete(name)
        default_storage.save(name, File(spool))
    return digest.hexdigest()


def _prune(today: date) -> int:
    oldest = today - timedelta(days=settings.CITYHALL_OPENDATA_SNAPSHOT_DAYS - 1)
    pruned = 0
    for folder in snapshot_days():
        try:
            stale = date.fromisoformat(folder) < oldest
        except ValueError:
            continue  # not ours
        if stale:
            _, files = default_storage.listdir(f"{ROOT}/{folder}")
            for name in files:
                default_storage.delete(f"{ROOT}/{folder}/{name}")
                pruned += 1
    return pruned
