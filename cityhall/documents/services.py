"""Every write of the documents app: issue, sign, seal, withdraw; issue and revoke certificates.

Each checks everything first and writes in one transaction. A document's file is replaced by each
signature's new revision (the previous one is deleted once the new one is committed); its SHA-256 is
that of the bytes as they are now, so /verify can match a copy to the city's record.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Sequence

from allauth.mfa.utils import is_mfa_enabled
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation

from cityhall.accounts.models import User
from cityhall.core import clock
from cityhall.core.errors import DomainError, ValidationFailed
from cityhall.core.stored_files import stored_files_kept_only_on_success

from . import pki, token
from .links import verify_url
from .models import Document, DocumentSignature, SigningCertificate
from .problems import Problem
from .rendering import KINDS, Content, printable, render
from .selectors import current_certificate_of
from .stored_files import store

MAX_PARAGRAPHS = 30  # paragraphs and conditions together
MAX_PARAGRAPH = 2000
MAX_REASON = 500
# Document numbers: no 0/O, 1/I/L; eight of these are 31⁸ ≈ 850 billion, so numbers cannot be guessed in turn.
NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

logger = logging.getLogger(__name__)


def _number() -> str:
    while True:
        code = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))
        number = f"{clock.now().year}-{code[:4]}-{code[4:]}"
        if not Document.objects.filter(number=number).exists():
            return number


def _texts(title: str, paragraphs: Sequence[str], conditions: Sequence[str]) -> tuple[str, list[str], list[str]]:
    title = title.strip()
    if not title or len(title) > Document._meta.get_field("title").max_length:  # type: ignore[operator]
        raise ValidationFailed({"title": Problem.TITLE})
    if len(paragraphs) + len(conditions) > MAX_PARAGRAPHS or any(
        len(text) > MAX_PARAGRAPH for text in [*paragraphs, *conditions]
    ):
        raise ValidationFailed({"paragraphs": Problem.TOO_LONG})
    printed = [printable(text.strip()) for text in [title, *paragraphs, *conditions]]
    if any(text is None for text in printed):
        raise ValidationFailed({"paragraphs": Problem.UNPRINTABLE})
    texts = [text or "" for text in printed]
    return texts[0], texts[1 : 1 + len(paragraphs)], texts[1 + len(paragraphs) :]


def document_issue(
    *,
    kind: str,
    title: str,
    paragraphs: Sequence[str],
    conditions: Sequence[str] = (),
    subject: str = "",
    language: str | None = None,
    issued_by: User | None = None,
) -> Document:
    """Renders a new decision document (not yet signed) and keeps it under a new number."""
    if kind not in KINDS:
        raise ValidationFailed({"kind": Problem.UNKNOWN_KIND})
    title, body, kept_conditions = _texts(title, paragraphs, conditions)
    language = language or translation.get_language() or "en"
    number = _number()
    issued_at = clock.now()
    pdf = render(
        Content(
            city=pki.organization(),
            kind=kind,
            title=title,
            number=number,
            issued_at=issued_at,
            paragraphs=tuple(body),
            conditions=tuple(kept_conditions),
            verify_url=verify_url(number),
            language=language,
        )
    )
    with stored_files_kept_only_on_success(), transaction.atomic():
        return Document.objects.create(
            number=number,
            kind=kind,
            title=title,
            subject=subject[:100],
            language=language,
            file_name=store(number, pdf),
            sha256=hashlib.sha256(pdf).hexdigest(),
            issued_at=issued_at,
            issued_by=issued_by,
        )


def signing_certificate_for(
    person: User, *, second_factor_required: bool = True
) -> tuple[SigningCertificate, pki.KeyPair]:
    """The person's certificate and key, issued by the city's authority at their first signing.

    Only active staff with a second factor get one; `second_factor_required=False` is the demo loader's
    alone (its sample supervisor has no authenticator: docs/documents.md, "The demo").
    """
    if not person.is_active or not person.is_city_staff:
        raise DomainError(Problem.NOT_STAFF, code="forbidden")
    if second_factor_required and not is_mfa_enabled(person):
        raise DomainError(Problem.NO_SECOND_FACTOR, code="forbidden")
    current = current_certificate_of(person.pk)
    if current is not None and (pair := pki.staff_key_pair(current.serial)) is not None:
        return current, pair
    pair = pki.issue(person.name or f"Staff member {person.pk}", years=pki.STAFF_YEARS)
    pki.store_staff_key_pair(pair)
    return _record(pair, SigningCertificate.Purpose.STAFF, person), pair


def _record(pair: pki.KeyPair | token.TokenKey, purpose: str, person: User | None) -> SigningCertificate:
    certificate = pair.certificate
    row, _created = SigningCertificate.objects.get_or_create(
        serial=pki.serial_hex(certificate),
        defaults={
            "purpose": purpose,
            "person": person,
            "subject_name": certificate.subject.rfc4514_string()[:200],
            "certificate_pem": pki.certificate_pem(certificate),
            "not_before": certificate.not_valid_before_utc,
            "not_after": certificate.not_valid_after_utc,
        },
    )
    return row


def _append_signature(
    document: Document,
    row: SigningCertificate,
    pair: pki.KeyPair | token.TokenKey,
    *,
    signer_name: str,
    reason: str,
    is_seal: bool,
) -> Document:
    with stored_files_kept_only_on_success(), transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.status == Document.Status.WITHDRAWN:
            raise DomainError(Problem.WITHDRAWN, code="conflict")
        if locked.sealed_at is not None:
            raise DomainError(Problem.SEALED, code="conflict")
        if not is_seal and DocumentSignature.objects.filter(document=locked, certificate__person=row.person).exists():
            raise DomainError(Problem.ALREADY_SIGNED, code="conflict")
        with default_storage.open(locked.file_name, "rb") as file:
            current = file.read()
        count = DocumentSignature.objects.filter(document=locked).count()
        field_name = "CitySeal" if is_seal else f"Signature{count + 1}"
        from . import signing  # pyHanko loads when the city first signs (docs/architecture.md, "Start-up")

        signed = signing.sign(current, pair, field_name=field_name, signer_name=signer_name, reason=reason)
        previous = locked.file_name
        now = clock.now()
        locked.file_name = store(locked.number, signed)
        locked.sha256 = hashlib.sha256(signed).hexdigest()
        if is_seal:
            locked.sealed_at = now
        locked.save(update_fields=["file_name", "sha256", "sealed_at"])
        DocumentSignature.objects.create(
            document=locked,
            certificate=row,
            field_name=field_name,
            signer_name=signer_name,
            signed_at=now,
            is_seal=is_seal,
        )
        transaction.on_commit(lambda: default_storage.delete(previous))
    return locked


def document_sign_by(document: Document, person: User, *, second_factor_required: bool = True) -> Document:
    """The person's own PAdES signature, appended as an incremental revision."""
    row, pair = signing_certificate_for(person, second_factor_required=second_factor_required)
    name = person.name or f"Staff member {person.pk}"
    return _append_signature(document, row, pair, signer_name=name, reason="Approved", is_seal=False)


def document_seal(document: Document) -> Document:
    """The city's seal, last: after it the document takes no more signatures.

    A seal that cannot be reached (its token's module, PIN or key; docs/documents.md, "Production keys")
    is a refusal the caller shows, and the log's error names the part; nothing of the signing is kept.
    """
    try:
        pair = pki.city_seal()
        row = _record(pair, SigningCertificate.Purpose.SEAL, None)
        city = pki.organization()
        return _append_signature(document, row, pair, signer_name=city, reason="Sealed by the city", is_seal=True)
    except pki.SigningNotConfigured as error:
        logger.error("The city seal is unavailable: %s", error)
        raise DomainError(Problem.SEAL_UNAVAILABLE, code="unavailable") from None


def document_withdraw(document: Document, *, reason: str) -> Document:
    """The city no longer stands by the document: /verify says so, with the reason."""
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        raise ValidationFailed({"reason": Problem.REASON})
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.status != Document.Status.WITHDRAWN:
            locked.status = Document.Status.WITHDRAWN
            locked.withdrawn_at = clock.now()
            locked.withdrawal_reason = reason
            locked.save(update_fields=["status", "withdrawn_at", "withdrawal_reason"])
    return locked


def signing_certificate_revoke(certificate: SigningCertificate, *, reason: str) -> SigningCertificate:
    """Revokes a certificate (its holder left, or the key is replaced): the CRL lists it from now on."""
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        raise ValidationFailed({"reason": Problem.REASON})
    with transaction.atomic():
        locked = SigningCertificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is None:
            locked.revoked_at = clock.now()
            locked.revocation_reason = reason[:200]
            locked.save(update_fields=["revoked_at", "revocation_reason"])
            if locked.purpose == SigningCertificate.Purpose.STAFF:
                serial = locked.serial
                transaction.on_commit(lambda: pki.forget_staff_key(serial))
    return locked


def signing_certificates_revoke_for(person: User, *, reason: str) -> int:
    """Revokes every certificate a person holds, as when they leave the city's service."""
    rows = list(SigningCertificate.objects.filter(person=person, revoked_at__isnull=True))
    for row in rows:
        signing_certificate_revoke(row, reason=reason)
    return len(rows)
