"""Signed documents, the certificates that signed them, and each signature (docs/documents.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


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
