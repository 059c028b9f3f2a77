"""PDFs a member of staff might upload as a memo (or a resident with an application), made here so tests
need no files: good, and each way bad."""

from __future__ import annotations

import io

from fpdf import FPDF
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.writer import PdfFileWriter

from cityhall.documents import memos


def memo_pdf(text: str = "Please approve the new overtime rota for the winter storms.", *, pages: int = 1) -> bytes:
    """A PDF as a word processor would export it: not rendered by the city, no signature, no password."""
    pdf = FPDF(format="letter")
    pdf.set_font("helvetica", size=12)
    for page in range(pages):
        pdf.add_page()
        pdf.multi_cell(0, 8, f"{text} (page {page + 1})")
    return bytes(pdf.output())


def encrypted_pdf() -> bytes:
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="reader")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Confidential")
    return bytes(pdf.output())


def pdf_with_embedded_file() -> bytes:
    """A readable PDF carrying a program as an attachment."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Petition")
    pdf.embed_file(bytes=b"MZ\x90\x00 a Windows program", basename="signatures.exe")
    return bytes(pdf.output())


def pdf_with_javascript(*, escaped: bool = False) -> bytes:
    """A readable PDF that runs a script when opened (an /OpenAction), added as a viewer's editor would.

    `escaped` spells every name that gives the script away with #xx escapes (/J#61vaScript, /J#53), as a
    file might to slip past a plain search: placeholders of the same length are written, then swapped, so
    the cross-reference offsets still hold and the file stays readable.
    """
    out = io.BytesIO(memo_pdf())
    writer = IncrementalPdfFileWriter(out)
    kind, key = ("/JQQQQQScript", "/JQQQ") if escaped else ("/JavaScript", "/JS")
    action = generic.DictionaryObject(
        {
            generic.NameObject("/S"): generic.NameObject(kind),
            generic.NameObject(key): generic.TextStringObject("app.alert('hello')"),
        }
    )
    writer.root["/OpenAction"] = writer.add_object(action)
    writer.update_root()
    writer.write_in_place()
    data = out.getvalue()
    if escaped:
        data = data.replace(b"/JQQQQQScript", b"/J#61vaScript").replace(b"/JQQQ", b"/J#53")
    return data


def pdf_with_compressed_javascript() -> bytes:
    """A readable one-page PDF whose /OpenAction script sits in a compressed object stream (PDF 1.5+), as
    many writers keep their dictionaries: no byte of the file spells /JS or /JavaScript."""
    writer = PdfFileWriter(stream_xrefs=True)
    size = generic.ArrayObject(generic.NumberObject(value) for value in (0, 0, 612, 792))
    writer.insert_page(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Page"),
                generic.NameObject("/MediaBox"): generic.ArrayObject(size),
            }
        )
    )
    action = generic.DictionaryObject(
        {
            generic.NameObject("/S"): generic.NameObject("/JavaScript"),
            generic.NameObject("/JS"): generic.TextStringObject("app.alert('hello')"),
        }
    )
    writer.root["/OpenAction"] = writer.add_object(action, obj_stream=writer.prepare_object_stream())
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    assert b"/JS" not in data and b"JavaScript" not in data  # only inside the compressed stream
    return data


def upload(data: bytes, *, signers, author, title: str = "Winter storm overtime rota", name: str = "rota.pdf"):
    return memos.memo_upload(io.BytesIO(data), name=name, title=title, signers=signers, author=author)
