"""Signed documents, the certificates that signed them, and each signature (docs/documents.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SigningCertificate(models.Model):
    """A certificate the city's authority issued: a staff member's own, or the city's seal.

    Only the public certificate is stored here; its private key stays in the signing directory (or the
    production key store), readable by the service alone. A revoked certificate is listed in the CRL.
    """

    class Purpose(models.TextChoices):
        STAFF = "staff", "Staff member"
        SEAL = "seal", "City seal"

    purpose = models.CharField(max_length=8, choices=Purpose.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    serial = models.CharField(max_length=48, unique=True)  # hexadecimal, as the CRL lists it
    subject_name = models.CharField(max_length=200)
    certificate_pem = models.TextField()
    not_before = models.DateTimeField()
    not_after = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "purpose"], name="documents_cert_person")]

    def __str__(self) -> str:
        return f"{self.subject_name} ({self.serial})"


class Document(models.Model):
    class Status(models.TextChoices):
        ISSUED = "issued", "Issued"
        WITHDRAWN = "withdrawn", "Withdrawn"

    number = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    # What the document is about, as the caller names it ("application:42"): no foreign key, so any app may issue.
    subject = models.CharField(max_length=100, blank=True, db_index=True)
    language = models.CharField(max_length=8)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ISSUED)
    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)  # of the stored file's bytes as they are now
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sealed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class DocumentSignature(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="signatures")
    certificate = models.ForeignKey(SigningCertificate, on_delete=models.PROTECT, related_name="+")
    field_name = models.CharField(max_length=40)
    signer_name = models.CharField(max_length=200)
    signed_at = models.DateTimeField()
    is_seal = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "field_name"], name="documents_one_field_per_document")
        ]
        ordering = ["signed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.document.number}: {self.signer_name}"


class Memo(models.Model):
    """An internal document a member of staff uploaded, routed to its signers one at a time (docs/documents.md).

    The PDF is the document's, as uploaded: each signer's signature, then the city's seal, is appended
    to it. Only its author and its signers may see it (`access.memo_for_staff`).
    """

    class Status(models.TextChoices):
        ROUTING = "routing", _("Waiting for signatures")
        SEALED = "sealed", _("Signed and sealed")
        DECLINED = "declined", _("Declined")
        # In context: the applications' bare "Withdrawn" is an application's, feminine in Spanish.
        WITHDRAWN = "withdrawn", pgettext_lazy("document", "Withdrawn")

    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="memo")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ROUTING)
    uploaded_name = models.CharField(max_length=100)
    pages = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["author", "status"], name="documents_memo_author")]

    def __str__(self) -> str:
        return f"Memo {self.document.number}"


class MemoSigner(models.Model):
    """One signer of a memo, in the order they sign; a signer's turn comes when all before them have signed."""

    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="signers")
    position = models.PositiveSmallIntegerField()
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["memo", "position"], name="documents_memo_signer_position"),
            models.UniqueConstraint(fields=["memo", "person"], name="documents_memo_signer_once"),
        ]
        indexes = [models.Index(fields=["person", "signed_at"], name="documents_memo_signer_person")]
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.memo_id} #{self.position}"


class MemoEvent(models.Model):
    """A memo's timeline: one row per change, in the order they happened."""

    class Kind(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded and routed for signatures")
        SIGNED = "signed", _("Signed")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn by its author")
        SEALED = "sealed", _("Sealed by the city")

    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.memo_id} {self.kind}"
