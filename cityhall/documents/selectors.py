"""Reads of the documents' tables that other code needs, by name."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Document, DocumentSignature, SigningCertificate


def document_by_number(number: str) -> Document | None:
    return Document.objects.filter(number=number.strip().upper()).first()


def documents_with_sha256(sha256: str) -> QuerySet[Document]:
    return Document.objects.filter(sha256=sha256)


def documents_about(subject: str) -> QuerySet[Document]:
    return Document.objects.filter(subject=subject).order_by("issued_at", "pk")


def signatures_of(document: Document) -> list[DocumentSignature]:
    return list(DocumentSignature.objects.filter(document=document).order_by("signed_at", "pk"))


def current_certificate_of(person_id: int) -> SigningCertificate | None:
    """The person's signing certificate, unrevoked, if the authority has issued one."""
    return (
        SigningCertificate.objects.filter(
            person_id=person_id, purpose=SigningCertificate.Purpose.STAFF, revoked_at__isnull=True
        )
        .order_by("-not_before", "-pk")
        .first()
    )


def certificates_by_serial(serials: list[str]) -> dict[str, SigningCertificate]:
    return {row.serial: row for row in SigningCertificate.objects.filter(serial__in=serials)}


def revoked_serials() -> list[tuple[str, object]]:
    return list(
        SigningCertificate.objects.filter(revoked_at__isnull=False).order_by("pk").values_list("serial", "revoked_at")
    )


def signing_certificates() -> QuerySet[SigningCertificate]:
    return SigningCertificate.objects.order_by("pk")


def certificates_held_by(*, email: str | None = None, serial: str | None = None) -> list[SigningCertificate]:
    """Unrevoked certificates by serial, or every one a person (by email) holds."""
    rows = SigningCertificate.objects.filter(revoked_at__isnull=True)
    if serial:
        return list(rows.filter(serial=serial.strip().lower()))
    return list(rows.filter(person__email__iexact=(email or "").strip()))
