"""Digital services defined as data, their published form versions, and the applications made on them.

The admin edits a service's working form (`FormSection`, `FormField` rows). Publishing copies it into
a new `FormVersion`, a JSON snapshot that never changes afterwards; an application points at the
version it was made on, so editing or republishing a form never changes a past submission.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityhall.catalogue.models import Department

from . import bounds
from .fields import Kind

if TYPE_CHECKING:
    from modeltranslation.manager import MultilingualManager

key_validator = RegexValidator(
    r"^[a-z][a-z0-9_]*$", "Use lowercase letters, digits and underscores, starting with a letter."
)


class DigitalService(models.Model):
    """A service a resident applies for online (a permit, a records request…)."""

    objects: ClassVar[MultilingualManager[DigitalService]]

    code = models.SlugField(max_length=bounds.MAX_KEY, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_active = models.BooleanField(default=True, help_text="Offered to residents (once a version is published).")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("position", "code")

    def __str__(self) -> str:
        return self.name


class FormSection(models.Model):
    objects: ClassVar[MultilingualManager[FormSection]]

    service = models.ForeignKey(DigitalService, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    help_text = models.TextField(blank=True)

    class Meta:
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return self.title


class FormField(models.Model):
    """One question of the working form; `min`/`max` mean what its type says (docs/digital-services.md)."""

    objects: ClassVar[MultilingualManager[FormField]]

    section = models.ForeignKey(FormSection, on_delete=models.CASCADE, related_name="fields")
    position = models.PositiveIntegerField(default=0)
    key = models.CharField(max_length=bounds.MAX_KEY, validators=[key_validator])
    kind = models.CharField(max_length=20, choices=Kind.choices)
    label = models.CharField(max_length=500)
    help_text = models.TextField(blank=True)
    required = models.BooleanField(default=True)
    choices = models.TextField(blank=True, help_text="Choice types: one answer a line, “key | label”.")
    minimum = models.IntegerField(null=True, blank=True)
    maximum = models.IntegerField(null=True, blank=True)
    show_if_field = models.CharField(max_length=bounds.MAX_KEY, blank=True, help_text="Key of an earlier field.")
    show_if_value = models.CharField(max_length=bounds.MAX_KEY, blank=True, help_text="A choice key, or yes / no.")

    class Meta:
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return self.key


class FormVersion(models.Model):
    """A published form: its schema never changes once written (services only create versions)."""

    service = models.ForeignKey(DigitalService, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    schema = models.JSONField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=("service", "number"), name="applications_one_number")]
        ordering = ("service", "-number")

    def __str__(self) -> str:
        return f"{self.service.code} v{self.number}"


class Status(models.TextChoices):
    """Where an application is; the approval steps add theirs here."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Channel(models.TextChoices):
    WEB = "web", _("Online")
    PAPER = "paper", _("Paper form")


def new_reference() -> str:
    """Eight random digits: easy to read over the phone, not guessable in sequence."""
    return f"{secrets.randbelow(90_000_000) + 10_000_000}"


class Application(models.Model):
    reference = models.CharField(max_length=12, unique=True, default=new_reference)
    service = models.ForeignKey(DigitalService, on_delete=models.PROTECT, related_name="applications")
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    answers = models.JSONField(default=dict)
    language = models.CharField(max_length=8, default="en")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=("applicant", "-updated_at"), name="applications_of_applicant")]

    def __str__(self) -> str:
        return self.reference


class Signature(models.Model):
    """The electronic signature (ESIGN/UETA practice): who, when, from where, and the hash of what was signed."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="signature")
    typed_name = models.CharField(max_length=bounds.MAX_SIGNER_NAME)
    consent_version = models.CharField(max_length=20)
    consent_text = models.TextField()
    signed_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    # Exactly the bytes signed (canonical JSON, UTF-8) and their SHA-256, so the record can be checked later.
    signed_content = models.TextField()
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.typed_name} ({self.sha256[:12]})"


class ApplicationFile(models.Model):
    """A supporting document, checked and sanitised before it was stored; served only through the access check."""

    id = models.CharField(primary_key=True, max_length=32)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    field_key = models.CharField(max_length=bounds.MAX_KEY)
    file = models.FileField(upload_to="applications/%Y/%m/", max_length=200)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class ApplicationEvent(models.Model):
    """What happened to an application, in order: started, saved, file added, signed and submitted…"""

    class Kind(models.TextChoices):
        STARTED = "started", _("Started")
        SAVED = "saved", _("Draft saved")
        FILE_ADDED = "file_added", _("Document attached")
        SUBMITTED = "submitted", _("Signed and submitted")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_from = models.CharField(max_length=20, blank=True)
    status_to = models.CharField(max_length=20, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)

    class Meta:
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind}"
