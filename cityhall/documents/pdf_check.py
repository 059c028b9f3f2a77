"""Is this upload a PDF the city can keep and sign? Checked by pyHanko's own reader, before anything is written.

The one home of "a PDF the city may keep", for internal memos and applications' supporting documents
alike. Only the bytes decide: a PDF header, a file pyHanko's reader opens (a truncated or damaged file
does not: its cross-reference table is at the end), not encrypted (the city must read it and append
signatures to it), no active content a viewer might run (JavaScript, launch actions, embedded files,
forms that submit), and within the page limit. Whether it is already signed is reported, for the
caller to decide (a memo's signatures are the city's own, in the order it routes them). Each refusal
is a coded `Problem`.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .problems import Problem

if TYPE_CHECKING:
    from pyhanko.pdf_utils.reader import PdfFileReader

logger = logging.getLogger(__name__)
# Where a PDF's header may sit (the PDF specification lets readers accept it within the first kilobyte).
PDF_HEADER_WINDOW = 1024
# Names of PDF features that run or carry something beyond the page; "/JS" also matches "/JavaScript".
ACTIVE_PDF = (b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia", b"/XFA", b"/SubmitForm", b"/ImportData")
# A name may hide its letters behind #xx escapes (/J#61vaScript is /JavaScript).
NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


class PdfRefused(ValueError):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class CheckedPdf:
    pages: int
    signed: bool


def has_active_content(data: bytes) -> bool:
    """Whether the file names a feature a viewer might run, once #xx escapes in names are undone."""
    plain = NAME_ESCAPE.sub(lambda escape: bytes([int(escape.group(1), 16)]), data)
    return any(name in plain for name in ACTIVE_PDF)


def _object_streams(reader: PdfFileReader) -> Iterator[bytes]:
    """The decoded content of every object stream of every revision: since PDF 1.5 a file may keep its
    dictionaries (an /OpenAction's script among them) compressed there, out of a scan of its bytes.
    pyHanko decodes them as it would to read any object they hold."""
    for revision in range(reader.xrefs.total_revisions):
        for stream in reader.xrefs.object_streams_used_in(revision):  # type: ignore[no-untyped-call]
            yield stream.get_object().data


def check_pdf(data: bytes, *, max_pages: int | None = None) -> CheckedPdf:
    """What pyHanko's reader finds in the file, or PdfRefused naming why it is not a readable, open PDF
    without active content."""
    # pyHanko loads when the first PDF is checked (docs/architecture.md, "Start-up").
    from pyhanko.pdf_utils.reader import PdfFileReader

    if b"%PDF-" not in data[:PDF_HEADER_WINDOW]:
        raise PdfRefused(Problem.NOT_PDF)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            raise PdfRefused(Problem.PDF_ENCRYPTED)
        pages = int(reader.root["/Pages"]["/Count"])
        signed = bool(reader.embedded_signatures)
        active = has_active_content(data) or any(has_active_content(part) for part in _object_streams(reader))
    except PdfRefused:
        raise
    # A hostile or broken file may fail anywhere inside the reader: it is then not a PDF the city can keep.
    except Exception:
        logger.info("an uploaded PDF could not be read", exc_info=True)
        raise PdfRefused(Problem.PDF_UNREADABLE) from None
    if pages < 1:
        raise PdfRefused(Problem.PDF_UNREADABLE)
    if active:
        raise PdfRefused(Problem.PDF_ACTIVE_CONTENT)
    if max_pages is not None and pages > max_pages:
        raise PdfRefused(Problem.PDF_TOO_MANY_PAGES)
    return CheckedPdf(pages=pages, signed=signed)
