"""The SQLite demo database exactly as `make run` prepares it, copied afresh for each bench run.

`make run` runs `cityhall prepare --demo` on the default SQLite file. The bench runs the same command
on a file of its own (var/bench/demo.sqlite3, kept untouched between runs, so the first run pays
the demo's minute of loading and later runs only migrate it), then serves a copy of it: the POSTs
of one run never crowd the lists or the radius of the next.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEPT = ROOT / "var" / "bench" / "demo.sqlite3"


def serve_demo_copy() -> Path:
    """Prepare the kept demo as `make run` does, copy it, and point this process and its children at the copy.

    Call before Django is set up: the database is chosen by DATABASE_URL, which the servers the
    bench starts inherit.
    """
    KEPT.parent.mkdir(parents=True, exist_ok=True)
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{KEPT}",
        "CITYHALL_MEDIA_ROOT": str(KEPT.parent / "media"),
    }
    cityhall = Path(sys.executable).parent / "cityhall"
    print("preparing the demo as `make run` does (a minute the first time)", flush=True)
    subprocess.run([str(cityhall), "prepare", "--demo"], env=environment, check=True, stdout=subprocess.DEVNULL)
    copy = Path(tempfile.mkdtemp(prefix="open311-bench-")) / "demo.sqlite3"
    # The backup API copies a consistent database whatever the write-ahead log still holds.
    with contextlib.closing(sqlite3.connect(KEPT)) as source, contextlib.closing(sqlite3.connect(copy)) as target:
        source.backup(target)
    os.environ["DATABASE_URL"] = f"sqlite:///{copy}"
    os.environ["CITYHALL_MEDIA_ROOT"] = environment["CITYHALL_MEDIA_ROOT"]
    return copy
