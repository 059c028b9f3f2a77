"""What the city's record says of a document and its signatures, read from the database alone.

The record page shows it without opening the PDF; /verify's verdict (`verification.py`) lists a checked
file's signatures in the same lines. Kept apart from the verification so that the record page does not
load pyHanko (docs/architecture.md, "Start-up").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .models import Document
from .selectors import signatures_of


@dataclass(frozen=True)
class SignatureLine:
    signer: str
    signed_at: dt.datetime | None
    is_city_seal: bool


@dataclass(frozen=True)
class Record:
    """What the city's record says of a document number (the QR code's link)."""

    document: Document
    signatures: list[SignatureLine]


def record_of(document: Document) -> Record:
    return Record(
        document=document,
        signatures=[
            SignatureLine(signer=row.signer_name, signed_at=row.signed_at, is_city_seal=row.is_seal)
            for row in signatures_of(document)
        ],
    )
