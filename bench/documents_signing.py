"""Signed documents: the time to render a decision PDF, sign it, seal it and verify it, per document.

    python -m bench.documents_signing [--documents 50]
    ./tools/with-postgres .venv/bin/python -m bench.documents_signing

Works in a throwaway data directory (its own SQLite database unless DATABASE_URL is set, its own
signing authority), loads the demo catalogue and people, issues one document to warm up (the
authority, the seal and the supervisor's certificate are created then), and times each later one:
`document_issue` (fpdf2 + QR), `document_sign_by` (one PAdES signature), `document_seal` (the city's)
and `verify_pdf` (pyHanko's validation of both, the CRL drawn from the database). Prints p50 and p95.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from collections.abc import Callable
from typing import TypeVar

from .scratch import django_in_scratch, percentile

T = TypeVar("T")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=50)
    args = parser.parse_args()
    scratch = django_in_scratch("cityhall-bench-documents-")
    from django.core.files.storage import default_storage
    from django.db import connection

    from cityhall.accounts.models import Role
    from cityhall.demo.catalogue import load_catalogue
    from cityhall.demo.people import ensure_accounts
    from cityhall.documents import services
    from cityhall.documents.models import Document
    from cityhall.documents.verification import verify_pdf

    supervisor = ensure_accounts(load_catalogue())[Role.SUPERVISOR]
    timings: dict[str, list[float]] = {"issue": [], "sign": [], "seal": [], "total": [], "verify": []}

    def timed(step: str, work: Callable[[], T]) -> T:
        started = time.perf_counter()
        result = work()
        timings[step].append(time.perf_counter() - started)
        return result

    def one() -> Document:
        document = timed(
            "issue",
            lambda: services.document_issue(
                kind="permit",
                title="Block party permit: 2nd Street",
                paragraphs=["The city permits a block party on 2nd Street between Arizona and Wilshire."] * 3,
                conditions=["Keep a lane open for emergency vehicles.", "Music ends at 9 PM."],
                language="en",
            ),
        )
        signed = timed("sign", lambda: services.document_sign_by(document, supervisor, second_factor_required=False))
        return timed("seal", lambda: services.document_seal(signed))

    started = time.perf_counter()
    first = one()
    print(f"{connection.vendor}: first document (libraries loaded; authority, seal and certificate created): "
          f"{(time.perf_counter() - started) * 1000:.0f} ms")  # fmt: skip
    for values in timings.values():
        values.clear()
    for _ in range(args.documents):
        started = time.perf_counter()
        document = one()
        timings["total"].append(time.perf_counter() - started)
        with default_storage.open(document.file_name, "rb") as file:
            data = file.read()
        verdict = timed("verify", lambda: verify_pdf(data))  # noqa: B023 — called at once
        assert verdict.genuine, verdict.reasons
    print(f"{args.documents} documents of {len(data) / 1024:.0f} KiB (two signatures); ms per document:")
    for step, values in timings.items():
        ms = [value * 1000 for value in values]
        print(f"  {step:<7} p50 {statistics.median(ms):7.1f}   p95 {percentile(ms, 0.95):7.1f}")
    assert first.sealed_at is not None
    connection.close()
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
