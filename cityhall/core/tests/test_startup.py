"""What a web worker inherits from gunicorn's master, which imports the application once and forks it
(`--preload`, core/serving.py): no open database connection, which the forks would otherwise share, and
none of the libraries that only some requests need (docs/architecture.md, "Start-up").

Pinned like query counts: an import moved back to the top of a module fails here, not in a figure
of bench/startup.py nobody reads.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

# Loaded at their first use: each costs every process of the site memory and start-up time.
ON_FIRST_USE = ("fpdf", "segno", "pyhanko", "pywebpush", "storages", "boto3")

# What gunicorn's master does with --preload, then every URL module and the views they name, as a
# worker's first request would import them.
MASTER = f"""
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import config.wsgi
from django.db import connections
from django.urls import get_resolver
get_resolver().url_patterns
print(json.dumps({{
    "connected": [alias for alias in connections if connections[alias].connection is not None],
    "loaded": sorted(name for name in {ON_FIRST_USE!r} if name in sys.modules),
}}))
"""


def test_the_served_application_imports_without_a_connection_or_the_libraries_of_rare_requests() -> None:
    # Another interpreter: this one has imported everything the other tests use.
    master = subprocess.run(
        [sys.executable, "-c", MASTER], env=dict(os.environ), capture_output=True, text=True, timeout=120, check=False
    )
    assert master.returncode == 0, master.stderr
    assert json.loads(master.stdout.splitlines()[-1]) == {"connected": [], "loaded": []}
