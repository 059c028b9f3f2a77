"""Document files in storage: each PDF kept under a new name in its document number's folder.

Stored inside `stored_files_kept_only_on_success` (core/stored_files.py), so a decision or memo whose
transaction fails keeps none of the PDFs it stored, with the applicant's name in them.
"""

from __future__ import annotations

import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from cityhall.core.stored_files import remember_stored


def store(number: str, pdf: bytes) -> str:
    """Keeps a document's PDF under a new name in its number's folder; returns the name."""
    name = default_storage.save(f"documents/{number}/{secrets.token_hex(8)}.pdf", ContentFile(pdf))
    remember_stored(name)
    return name
