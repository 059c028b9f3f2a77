"""The restore drill (docs/operations.md, "Backup and restore"): back up, restore into fresh places, compare.

1. Backup, as the operations guide says to take one: PostgreSQL with `pg_dump --format=custom`, SQLite
   with its online backup API (both while the site runs), and every stored file (photos, documents,
   exports) read through Django's storage API, so a bucket is read like the local directory.
2. Restore into a fresh database (a new PostgreSQL database by `pg_restore`, a new SQLite file) and a
   fresh media directory.
3. Compare with what the backup was taken of: the row count of every table, a random sample of
   requests column by column, and every stored file by SHA-256. The counts and the sample are read
   in the very snapshot the backup copies (PostgreSQL: one exported snapshot shared with pg_dump;
   SQLite: the backup runs inside the read transaction that counted), so writes made meanwhile by
   the running site cannot make a good backup look bad.

Prints what it did and PASS or FAIL; exits 1 on FAIL. Nothing it creates is left behind unless
--keep is given (the backup then stays in --backup-dir, the restored database under its name).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import FileSystemStorage, Storage, default_storage  # noqa: E402
from django.db import connection  # noqa: E402

from cityhall.core.readiness import PROBE_DIR  # noqa: E402
from cityhall.requests.models import ServiceRequest  # noqa: E402

REQUESTS = ServiceRequest._meta.db_table


@dataclass
class Snapshot:
    """What the backup was taken of: row counts per table and the sampled requests' rows."""

    counts: dict[str, int] = field(default_factory=dict)
    sample: dict[Any, tuple[Any, ...]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # what the restore itself reported


def quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def read_snapshot(cursor: Any, tables: list[str], sample_size: int) -> Snapshot:
    snapshot = Snapshot()
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quoted(table)}")  # noqa: S608 (names from Django's introspection)
        snapshot.counts[table] = cursor.fetchone()[0]
    cursor.execute(f"SELECT id FROM {quoted(REQUESTS)} ORDER BY random() LIMIT {int(sample_size)}")  # noqa: S608
    ids = [row[0] for row in cursor.fetchall()]
    snapshot.sample = read_requests(cursor, ids)
    return snapshot


def read_requests(cursor: Any, ids: list[Any]) -> dict[Any, tuple[Any, ...]]:
    if not ids:
        return {}
    marks = ", ".join(["%s" if connection.vendor == "postgresql" else "?"] * len(ids))
    cursor.execute(f"SELECT * FROM {quoted(REQUESTS)} WHERE id IN ({marks}) ORDER BY id", ids)  # noqa: S608
    return {row[0]: tuple(row) for row in cursor.fetchall()}


# ------------------------------------------------------------------------------------------- SQLite


def sqlite_drill(work: Path, tables: list[str], sample_size: int) -> tuple[Snapshot, Snapshot, str]:
    source_path = str(settings.DATABASES["default"]["NAME"])
    backup_path, restored_path = work / "cityhall.sqlite3", work / "restored.sqlite3"
    source = sqlite3.connect(source_path, isolation_level=None)
    try:
        source.execute("BEGIN")  # one read snapshot for the counts and the copy
        before = read_snapshot(source.cursor(), tables, sample_size)
        with sqlite3.connect(backup_path) as backup:
            source.backup(backup)  # the online backup API, inside the read transaction above
        source.execute("COMMIT")
    finally:
        source.close()
    # Restore: the backup copied into a fresh database file, as an operator would put it back.
    with sqlite3.connect(backup_path) as backup, sqlite3.connect(restored_path) as restored:
        backup.backup(restored)
    restored = sqlite3.connect(restored_path)
    try:
        (integrity,) = restored.execute("PRAGMA integrity_check").fetchone()
        after = read_snapshot_of(restored.cursor(), tables, list(before.sample))
    finally:
        restored.close()
    if integrity != "ok":
        after.problems.append(f"the restored database fails PRAGMA integrity_check: {integrity}")
    size = backup_path.stat().st_size
    return before, after, f"SQLite online backup, {size / 1e6:.1f} MB; integrity_check: {integrity}"


# --------------------------------------------------------------------------------------- PostgreSQL


def pg_environment(database: dict[str, Any], name: str) -> dict[str, str]:
    """libpq's variables for pg_dump and pg_restore: the password never appears on a command line."""
    env = {**os.environ, "PGDATABASE": name, "PGUSER": str(database.get("USER") or "")}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGPASSWORD", "PASSWORD")):
        if database.get(key):
            env[variable] = str(database[key])
    return env


def postgresql_drill(work: Path, tables: list[str], sample_size: int, keep: bool) -> tuple[Snapshot, Snapshot, str]:
    import psycopg

    database = settings.DATABASES["default"]
    dump = work / "cityhall.dump"
    fresh = f"cityhall_restore_drill_{uuid.uuid4().hex[:8]}"
    source_env = pg_environment(database, database["NAME"])
    with psycopg.connect(_libpq(source_env)) as source, source.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot_id,) = cursor.fetchone()
        before = read_snapshot(cursor, tables, sample_size)
        # pg_dump copies exactly the snapshot the counts were read in.
        subprocess.run(  # noqa: S603 (our arguments; the password travels in PGPASSWORD)
            [tool("pg_dump"), "--format=custom", f"--snapshot={snapshot_id}", f"--file={dump}"],
            env=source_env,
            check=True,
        )
        cursor.execute("COMMIT")
    with psycopg.connect(_libpq(source_env), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{fresh}" TEMPLATE template0')
    try:
        restored_env = pg_environment(database, fresh)
        subprocess.run(  # noqa: S603
            [tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={fresh}", str(dump)],
            env=restored_env,
            check=True,
        )
        with psycopg.connect(_libpq(restored_env)) as restored, restored.cursor() as cursor:
            after = read_snapshot_of(cursor, tables, list(before.sample))
    finally:
        if not keep:
            with psycopg.connect(_libpq(source_env), autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
    size = dump.stat().st_size
    kept = f"; restored database kept as {fresh}" if keep else ""
    return before, after, f"pg_dump --format=custom, {size / 1e6:.1f} MB; pg_restore into a fresh database{kept}"


def tool(name: str) -> str:
    """PostgreSQL's client program by its full path (Debian's wrapper picks the newest installed)."""
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"FAIL: {name} is not installed (Debian package postgresql-client)")
    return found


def _libpq(env: dict[str, str]) -> str:
    """A connection string from libpq's variables, as pg_dump reads them."""
    from psycopg.conninfo import make_conninfo

    names = {"PGHOST": "host", "PGPORT": "port", "PGUSER": "user", "PGPASSWORD": "password", "PGDATABASE": "dbname"}
    return make_conninfo(**{keyword: env[variable] for variable, keyword in names.items() if env.get(variable)})


def read_snapshot_of(cursor: Any, tables: list[str], ids: list[Any]) -> Snapshot:
    """The restored database's counts, and its rows of the requests sampled from the source."""
    snapshot = read_snapshot(cursor, tables, 0)
    snapshot.sample = read_requests(cursor, ids)
    return snapshot


# -------------------------------------------------------------------------------------------- media


def stored_files(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file's name in a storage, through Django's storage API (a local directory or a bucket)."""
    directories, files = storage.listdir(directory)
    for name in files:
        yield f"{directory}/{name}" if directory else name
    for name in directories:
        below = f"{directory}/{name}" if directory else name
        if below != PROBE_DIR:  # /readyz's probes come and go
            yield from stored_files(storage, below)


def media_drill(work: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Back up every stored file into the backup directory, restore it into a fresh storage; hash both sides."""
    backup = FileSystemStorage(location=work / "media")
    restored = FileSystemStorage(location=work / "restored-media")
    source_hashes, restored_hashes = {}, {}
    for name in stored_files(default_storage):
        with default_storage.open(name, "rb") as stored:
            content = stored.read()
        source_hashes[name] = hashlib.sha256(content).hexdigest()
        backup.save(name, ContentFile(content))
    for name in stored_files(backup):
        with backup.open(name, "rb") as stored:
            restored.save(name, ContentFile(stored.read()))
    for name in stored_files(restored):
        with restored.open(name, "rb") as stored:
            restored_hashes[name] = hashlib.sha256(stored.read()).hexdigest()
    return source_hashes, restored_hashes


# --------------------------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backup-dir", type=Path, help="where to write the backup (default: a temporary directory)")
    parser.add_argument("--sample", type=int, default=25, help="requests compared column by column (default 25)")
    parser.add_argument("--keep", action="store_true", help="keep the backup and the restored database")
    options = parser.parse_args()
    work = options.backup_dir or Path(tempfile.mkdtemp(prefix="cityhall-restore-drill-"))
    work.mkdir(parents=True, exist_ok=True)
    tables = sorted(connection.introspection.table_names())
    started = time.monotonic()
    try:
        if connection.vendor == "postgresql":
            before, after, how = postgresql_drill(work, tables, options.sample, options.keep)
        elif connection.vendor == "sqlite":
            before, after, how = sqlite_drill(work, tables, options.sample)
        else:
            print(f"FAIL: no drill for the {connection.vendor} database")
            return 1
        source_files, restored_files = media_drill(work)
    finally:
        if not options.keep and options.backup_dir is None:
            shutil.rmtree(work, ignore_errors=True)
    return report(before, after, source_files, restored_files, how, time.monotonic() - started)


def report(
    before: Snapshot,
    after: Snapshot,
    source_files: dict[str, str],
    restored_files: dict[str, str],
    how: str,
    seconds: float,
) -> int:
    problems = list(after.problems)
    for table, count in before.counts.items():
        if after.counts.get(table) != count:
            problems.append(f"table {table}: {count} rows backed up, {after.counts.get(table)} restored")
    for request_id, row in before.sample.items():
        if after.sample.get(request_id) != row:
            missing = request_id not in after.sample
            problems.append(f"request row id={request_id}: " + ("missing" if missing else "differs"))
    for name, digest in source_files.items():
        if restored_files.get(name) != digest:
            problems.append(f"file {name}: " + ("missing" if name not in restored_files else "differs"))
    rows = sum(before.counts.values())
    print(f"backup: {how}")
    print(f"tables: {len(before.counts)} compared, {rows:,} rows")
    print(f"requests: {len(before.sample)} sampled and compared column by column")
    print(f"files: {len(source_files)} compared by SHA-256")
    print(f"took {seconds:.1f} s")
    for problem in problems:
        print(f"  {problem}")
    print("FAIL" if problems else "PASS")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
