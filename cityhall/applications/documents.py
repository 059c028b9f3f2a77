"""Supporting documents: a photo or scan is sanitised as report photos are; a PDF is checked and kept.

Only the bytes decide what a file is (never its name or the browser's content type). A photo goes
through the media pipeline (decoded, metadata dropped, re-encoded). A PDF cannot be re-encoded that
way, so it is checked instead, by the documents app's one rule of a PDF the city may keep
(`cityhall.documents.pdf_check`: pyHanko's reader opens it, not encrypted, no active content a viewer
might run). Anything else is refused with a message naming the problem, in the person's language.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _

from cityhall.documents.pdf_check import PdfRefused, check_pdf
from cityhall.documents.problems import Problem
from cityhall.media.pipeline import PhotoRejected, sanitise_photo, sniff_image_type

from . import bounds


class Readable(Protocol):
    """An upload being read: a file, a Django upload, a stream."""

    def read(self, size: int = ..., /) -> bytes: ...


class DocumentRejected(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedDocument:
    content: bytes
    content_type: str
    extension: str
    name: str
    sha256: str


def safe_name(name: str, extension: str) -> str:
    """The uploaded name as shown back to people: letters, digits and a few marks, with the real extension."""
    stem = unicodedata.normalize("NFKC", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).rsplit(".", 1)[0]
    stem = re.sub(r"[^\w .()-]+", "", stem).strip(" .")[:80] or "document"
    return f"{stem}.{extension}"


def _read(data: Readable) -> bytes:
    raw = data.read(bounds.MAX_FILE_BYTES + 1)
    if len(raw) > bounds.MAX_FILE_BYTES:
        raise DocumentRejected(_("The file is larger than the 15 MB limit."))
    if not raw:
        raise DocumentRejected(_("The file is empty."))
    return raw


def _pdf_refusal(problem: Problem) -> str:
    """Why check_pdf refused the PDF, in the documents app's words (one wording for applicants and staff)."""
    # Not a PDF past its first bytes is, to an applicant whose file was sniffed as one, a damaged PDF.
    return str((Problem.PDF_UNREADABLE if problem == Problem.NOT_PDF else problem).label)


def _check_pdf(raw: bytes) -> None:
    try:
        check_pdf(raw)
    except PdfRefused as refused:
        raise DocumentRejected(_pdf_refusal(refused.problem)) from refused


def check_document(data: Readable, name: str) -> CheckedDocument:
    """The document ready to store, or DocumentRejected saying why not (in the active language)."""
    raw = _read(data)
    if raw.startswith(b"%PDF"):
        _check_pdf(raw)
        return CheckedDocument(raw, "application/pdf", "pdf", safe_name(name, "pdf"), hashlib.sha256(raw).hexdigest())
    if sniff_image_type(raw[:64]) is None:
        raise DocumentRejected(_("The file is not a PDF or a photo (JPEG, PNG, WebP, GIF or HEIC)."))
    try:
        photo = sanitise_photo(raw, max_bytes=bounds.MAX_FILE_BYTES)
    except PhotoRejected as rejected:
        raise DocumentRejected(_("The photo could not be read; it may be damaged or too large.")) from rejected
    return CheckedDocument(
        photo.content, photo.content_type, photo.extension, safe_name(name, photo.extension), photo.sha256
    )
