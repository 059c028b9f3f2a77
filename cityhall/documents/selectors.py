"""Reads of the documents' tables that other code needs, by name."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import Document, DocumentSignature, Memo, MemoEvent, MemoSigner, SigningCertificate


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


def memo_by_number(number: str) -> Memo | None:
    """The memo with this document number, its document and author at hand."""
    return Memo.objects.select_related("document", "author").filter(document__number=number.strip().upper()).first()


def memo_of(document: Document) -> Memo | None:
    return Memo.objects.filter(document=document).first()


def memo_participant_ids(memo: Memo) -> set[int]:
    """Who may see the memo: its author and its signers, by account id."""
    return {memo.author_id, *MemoSigner.objects.filter(memo=memo).values_list("person_id", flat=True)}


def memo_signers(memo: Memo) -> list[MemoSigner]:
    return list(MemoSigner.objects.filter(memo=memo).select_related("person").order_by("position"))


def memo_events(memo: Memo) -> list[MemoEvent]:
    return list(MemoEvent.objects.filter(memo=memo).select_related("person").order_by("at", "pk"))


def memos_waiting_for(person_id: int) -> QuerySet[Memo]:
    """Memos being routed whose turn is this person's: every signer before them has signed, oldest first."""
    earlier_unsigned = MemoSigner.objects.filter(
        memo=OuterRef("memo"), position__lt=OuterRef("position"), signed_at__isnull=True
    )
    turns = MemoSigner.objects.filter(person_id=person_id, signed_at__isnull=True).filter(~Exists(earlier_unsigned))
    return (
        Memo.objects.filter(status=Memo.Status.ROUTING, pk__in=turns.values("memo_id"))
        .select_related("document", "author")
        .order_by("created_at", "pk")
    )


def memos_of(person_id: int) -> QuerySet[Memo]:
    """Memos this person wrote or is a signer of, newest first."""
    signing = MemoSigner.objects.filter(person_id=person_id).values("memo_id")
    return (
        Memo.objects.filter(Q(author_id=person_id) | Q(pk__in=signing))
        .select_related("document", "author")
        .order_by("-created_at", "-pk")
    )
