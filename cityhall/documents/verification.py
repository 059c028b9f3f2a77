"""Is this PDF a genuine, unchanged document of this city? A structured verdict with its reasons.

Every signature is validated by pyHanko against the city's root certificate alone (no other trust
anchor, no fetching) and the CRL drawn from the database now; the last one must be the city's seal and
cover the whole file; and the file's SHA-256 must be that of a document the city keeps. The pages
(`views.py`) only put the verdict into words.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import serialization
from django.db import models
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from . import blocking, pki
from .models import Document, SigningCertificate
from .pdf_check import PDF_HEADER_WINDOW
from .records import SignatureLine
from .selectors import certificates_by_serial, documents_with_sha256, revoked_serials
from .signing import asn1_certificate

logger = logging.getLogger(__name__)


class Reason(models.TextChoices):
    """Why a file does not verify, in the words /verify shows."""

    NOT_PDF = "not_pdf", _("This file is not a PDF.")
    UNREADABLE = "unreadable", _("This PDF is damaged or incomplete, so its signatures cannot be checked.")
    NOT_SIGNED = "not_signed", _("This PDF carries no digital signature.")
    MODIFIED = "modified", _("This PDF was changed after it was signed.")
    FOREIGN = (
        "foreign",
        _("This PDF was not signed by this city: a signature comes from a certificate the city did not issue."),
    )
    REVOKED = "revoked", _("A certificate that signed this PDF has been revoked by the city.")
    NOT_SEALED = "not_sealed", _("The city's seal is missing: the last signature is not the city's.")
    NO_RECORD = "no_record", _("The city has no record of this exact document.")
    WITHDRAWN = "withdrawn", _("The city has withdrawn this document.")


@dataclass
class Verdict:
    reasons: list[Reason] = field(default_factory=list)
    signatures: list[SignatureLine] = field(default_factory=list)
    document: Document | None = None

    @property
    def genuine(self) -> bool:
        return not self.reasons

    def refuse(self, reason: Reason) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)


def validation_context() -> ValidationContext:
    """The city's root as the only trust anchor and its current CRL; nothing fetched from the network."""
    crl = pki.revocation_list(revoked_serials())  # type: ignore[arg-type]  # (serial, datetime) rows
    return ValidationContext(
        trust_roots=[asn1_certificate(pki.trust_root())],
        crls=[crl.public_bytes(serialization.Encoding.DER)],
        allow_fetching=False,
        revocation_mode="hard-fail",
    )


def _common_name(status: PdfSignatureStatus) -> str:
    subject = status.signing_cert.subject.native
    return str(subject.get("common_name", "")) if isinstance(subject, dict) else ""


def _judge(verdict: Verdict, status: PdfSignatureStatus, *, last: bool, seals: set[str]) -> None:
    if not (status.intact and status.valid):
        verdict.refuse(Reason.MODIFIED)
    elif status.revoked:
        verdict.refuse(Reason.REVOKED)
    elif not status.trusted:
        verdict.refuse(Reason.FOREIGN)
    if last and status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        verdict.refuse(Reason.MODIFIED)
    if not status.docmdp_ok:
        verdict.refuse(Reason.MODIFIED)
    serial = format(status.signing_cert.serial_number, "x")
    # A changed file's seal is broken, not missing: MODIFIED already says so.
    if last and status.intact and status.valid and (serial not in seals or not status.trusted):
        verdict.refuse(Reason.NOT_SEALED)


async def _validate_all(embedded: list[EmbeddedPdfSignature], context: ValidationContext) -> list[PdfSignatureStatus]:
    return [await async_validate_pdf_signature(signature, context) for signature in embedded]


def verify_pdf(data: bytes) -> Verdict:
    verdict = Verdict()
    if b"%PDF-" not in data[:PDF_HEADER_WINDOW]:
        verdict.refuse(Reason.NOT_PDF)
        return verdict
    try:
        embedded = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        verdict.refuse(Reason.UNREADABLE)
        return verdict
    if not embedded:
        verdict.refuse(Reason.NOT_SIGNED)
        return verdict
    context = validation_context()
    try:
        statuses = blocking.run(lambda: _validate_all(embedded, context))
    # A hostile file may break the validator anywhere: its signatures are then not valid, and nothing is a 500.
    except Exception:
        logger.info("a signature could not be validated", exc_info=True)
        verdict.refuse(Reason.UNREADABLE)
        return verdict
    serials = [format(status.signing_cert.serial_number, "x") for status in statuses]
    known = certificates_by_serial(serials)
    seals = {serial for serial, row in known.items() if row.purpose == SigningCertificate.Purpose.SEAL}
    for index, status in enumerate(statuses):
        _judge(verdict, status, last=index == len(statuses) - 1, seals=seals)
        row = known.get(serials[index])
        verdict.signatures.append(
            SignatureLine(
                signer=_common_name(status),
                signed_at=status.signer_reported_dt,
                is_city_seal=row is not None and row.purpose == SigningCertificate.Purpose.SEAL,
            )
        )
    _match_record(verdict, hashlib.sha256(data).hexdigest())
    return verdict


def _match_record(verdict: Verdict, sha256: str) -> None:
    document = documents_with_sha256(sha256).first()
    if document is None:
        verdict.refuse(Reason.NO_RECORD)
        return
    verdict.document = document
    if document.status == Document.Status.WITHDRAWN:
        verdict.refuse(Reason.WITHDRAWN)
