"""A Debian package's program the tests need: the path `make test` passed in its variable, else what
the project's `tools/ensure-*` script prints (installing the package on first use)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def ensured(variable: str, script: str) -> str:
    """E.g. ensured("CITYHALL_MOSQUITTO", "ensure-mosquitto")."""
    found = os.environ.get(variable)
    if found:
        return found
    return subprocess.run([str(ROOT / "tools" / script)], check=True, capture_output=True, text=True).stdout.strip()
