"""A decision document as PDF, drawn with fpdf2, and its QR code with segno (both pure Python).

One layout, with words per kind (`KINDS`): the city, the kind and title, the number and date, the body,
the conditions, and a QR code with the link to the document's verification page. fpdf2's built-in
fonts speak Latin-1 (English and Spanish); the service checks text against `printable` first.

Both libraries load when a document is first drawn, not when the module is imported: fpdf2 alone costs a
process about 50 MB and a second at start, and most processes never draw a document (docs/architecture.md,
"Start-up").
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

# Each kind of document and the heading it carries: the "template per digital service".
KINDS: dict[str, Promise] = {
    "permit": gettext_lazy("Permit"),
    "approval": gettext_lazy("Approval letter"),
    "denial": gettext_lazy("Decision: application denied"),
    "memo": gettext_lazy("Internal memo"),
}
# What fpdf2's core fonts cannot draw, in the forms people paste most, and what to print instead.
TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "•": "-"})
NAVY = (22, 46, 81)


def printable(text: str) -> str | None:
    """The text as the PDF will print it, or None when it holds a character the fonts cannot draw."""
    text = text.translate(TYPOGRAPHY)
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return None
    return text


@dataclass(frozen=True)
class Content:
    city: str
    kind: str
    title: str
    number: str
    issued_at: dt.datetime
    paragraphs: tuple[str, ...]
    conditions: tuple[str, ...]
    verify_url: str
    language: str


def qr_png(url: str) -> bytes:
    import segno  # on first use (the module's docstring)

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()


def render(content: Content) -> bytes:
    from fpdf import FPDF  # on first use (the module's docstring)
    from fpdf.enums import XPos, YPos

    with override(content.language):
        pdf = FPDF(format="letter")
        pdf.set_title(f"{KINDS[content.kind]} {content.number}")
        pdf.set_author(content.city)
        pdf.set_creator("CityHall")
        pdf.set_lang(content.language)
        pdf.set_margins(22, 20, 22)
        pdf.add_page()
        width = pdf.epw
        pdf.set_text_color(*NAVY)
        pdf.set_font("helvetica", "B", 12)
        pdf.cell(width, 7, printable(content.city) or "", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("helvetica", "", 11)
        pdf.cell(width, 6, str(KINDS[content.kind]), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(4)
        pdf.set_text_color(0, 0, 0)
        pdf.set_font("helvetica", "B", 18)
        pdf.multi_cell(width - 40, 9, content.title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.image(qr_png(content.verify_url), x=pdf.w - pdf.r_margin - 34, y=18, w=34, alt_text=content.verify_url)
        pdf.set_font("helvetica", "", 10)
        issued = formats.date_format(content.issued_at, "DATE_FORMAT")
        pdf.cell(
            width, 6, _("Document number: %(number)s") % {"number": content.number}, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.cell(width, 6, _("Issued: %(date)s") % {"date": issued}, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(6)
        pdf.set_font("helvetica", "", 11)
        for paragraph in content.paragraphs:
            pdf.multi_cell(width, 6, paragraph, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(3)
        if content.conditions:
            pdf.set_font("helvetica", "B", 12)
            pdf.cell(width, 8, _("Conditions"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font("helvetica", "", 11)
            for index, condition in enumerate(content.conditions, start=1):
                pdf.multi_cell(width, 6, f"{index}. {condition}", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                pdf.ln(1)
        pdf.ln(8)
        pdf.set_font("helvetica", "", 9)
        pdf.multi_cell(
            width,
            5,
            _(
                "This document is signed digitally by the people who decided it and sealed by the city. "
                "Check that it is genuine and unchanged at %(url)s (or scan the code)."
            )
            % {"url": content.verify_url},
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        return bytes(pdf.output())
