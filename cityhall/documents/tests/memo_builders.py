"""PDFs a member of staff might upload as a memo, made here so tests need no files: good, and each way bad."""

from __future__ import annotations

import io

from fpdf import FPDF

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


def upload(data: bytes, *, signers, author, title: str = "Winter storm overtime rota", name: str = "rota.pdf"):
    return memos.memo_upload(io.BytesIO(data), name=name, title=title, signers=signers, author=author)
