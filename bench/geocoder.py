"""Autocomplete server time: /report/places.json over a realistic mix of half-typed inputs.

    python -m bench.geocoder [--rounds 3]

Builds a throwaway SQLite database with the demo's catalogue and streets, then asks the endpoint
through Django's full middleware chain (in process: server time, no network) for every prefix of
3+ characters of real inputs — house numbers and streets (“1685 main st”), corners (“main & pico”),
named places (“tongva park”), typos — as someone typing them. Prints p50/p95/max per request.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

TYPED = [
    "1685 main st", "1685 Main Street", "2601 main", "1444 7th street", "2600 ocean park blvd",
    "1615 Ocean Ave", "601 santa monica blvd", "2400 montana avenue", "1310 11th st", "333 olympic dr",
    "1250 16th st", "3223 donald douglas loop s", "1301 wilshire blvd", "2450 ashland ave", "922 pico blvd",
    "main & pico", "Main St and Pico Blvd", "4th st & broadway", "lincoln blvd & ocean park blvd",
    "santa monica blvd & 20th st", "tongva park", "santa monica pier", "main library", "memorial park",
    "1685 mian st", "2601 mane st", "1444 sevnth st", "1440 pch",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="cityhall-geocoder-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from cityhall.demo.catalogue import load_catalogue
    from cityhall.demo.streets import load_demo_streets

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    load_demo_streets(load_catalogue())
    print(f"catalogue + streets loaded in {time.perf_counter() - began:.1f} s")
    client = Client()
    client.get("/report/places.json", {"q": "warm up"})  # the index is built once per process: not counted
    inputs = [text[:end] for text in TYPED for end in range(3, len(text) + 1)]
    laps = []
    for _ in range(args.rounds):
        for text in inputs:
            began = time.perf_counter()
            response = client.get("/report/places.json", {"q": text})
            laps.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200
    laps.sort()
    p95 = laps[int(len(laps) * 0.95)]
    print(
        f"autocomplete, {len(inputs)} partial inputs x {args.rounds}: "
        f"p50 {statistics.median(laps):.2f} ms, p95 {p95:.2f} ms, max {laps[-1]:.2f} ms (server time, in process)"
    )
    found = sum(1 for text in TYPED if client.get("/report/places.json", {"q": text}).json()["results"])
    print(f"full inputs with a suggestion: {found}/{len(TYPED)}")


if __name__ == "__main__":
    main()
