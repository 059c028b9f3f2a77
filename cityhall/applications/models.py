"""Digital services defined as data, their published form versions, and the applications made on them.

The admin edits a service's working form (`FormSection`, `FormField` rows) and its approval steps
(`WorkflowStep`). Publishing copies both into a new `FormVersion`, a JSON snapshot that never changes
afterwards; an application points at the version it was made on, so editing or republishing a form or
its steps never changes a past submission. On submission each snapshot step becomes an
`ApplicationStep` of that application (docs/digital-services.md, "Approval workflow").
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.roles import Role
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

    code = models.SlugField(verbose_name=_("code"), max_length=bounds.MAX_KEY, unique=True)
    name = models.CharField(verbose_name=_("name"), max_length=200)
    description = models.TextField(verbose_name=_("description"), blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(
        verbose_name=_("offered"), default=True, help_text=_("Offered to residents (once a version is published).")
    )
    position = models.PositiveIntegerField(verbose_name=_("position in the list"), default=0)
    approval_kind = models.CharField(
        verbose_name=_("what approval issues"),
        max_length=20,
        choices=[("permit", "Permit"), ("approval", "Approval letter")],
        default="approval",
        help_text=_("What the city issues when an application is approved: a permit, or an approval letter."),
    )
    decision_title = models.CharField(
        verbose_name=_("title of the decision"),
        max_length=200,
        blank=True,
        help_text=_("The title of the document issued on approval (default: the name)."),
    )

    class Meta:
        verbose_name = _("digital service")
        verbose_name_plural = _("digital services")
        ordering = ("position", "code")

    def __str__(self) -> str:
        return self.name


class FormSection(models.Model):
    objects: ClassVar[MultilingualManager[FormSection]]

    service = models.ForeignKey(
        DigitalService, verbose_name=_("digital service"), on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveIntegerField(verbose_name=_("position in the list"), default=0)
    title = models.CharField(verbose_name=_("title"), max_length=200)
    help_text = models.TextField(verbose_name=_("hint"), blank=True)

    class Meta:
        verbose_name = _("form section")
        verbose_name_plural = _("form sections")
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return self.title


class FormField(models.Model):
    """One question of the working form; `min`/`max` mean what its type says (docs/digital-services.md)."""

    objects: ClassVar[MultilingualManager[FormField]]

    section = models.ForeignKey(FormSection, verbose_name=_("section"), on_delete=models.CASCADE, related_name="fields")
    position = models.PositiveIntegerField(verbose_name=_("position in the list"), default=0)
    key = models.CharField(verbose_name=_("key"), max_length=bounds.MAX_KEY, validators=[key_validator])
    kind = models.CharField(verbose_name=_("kind"), max_length=20, choices=Kind.choices)
    label = models.CharField(verbose_name=_("question"), max_length=500)
    help_text = models.TextField(verbose_name=_("hint"), blank=True)
    required = models.BooleanField(verbose_name=_("required"), default=True)
    choices = models.TextField(
        verbose_name=_("choices"), blank=True, help_text=_("Choice types: one answer a line, “key | label”.")
    )
    minimum = models.IntegerField(verbose_name=_("minimum"), null=True, blank=True)
    maximum = models.IntegerField(verbose_name=_("maximum"), null=True, blank=True)
    show_if_field = models.CharField(
        verbose_name=_("show only if field"),
        max_length=bounds.MAX_KEY,
        blank=True,
        help_text=_("Key of an earlier field."),
    )
    show_if_value = models.CharField(
        verbose_name=_("has the answer"),
        max_length=bounds.MAX_KEY,
        blank=True,
        help_text=_("A choice key, or yes / no."),
    )

    class Meta:
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return self.key


class StepRole(models.TextChoices):
    """Who in the owning department may decide a step (values of the one `Role` enum)."""

    STAFF = Role.STAFF.value, _("Department staff and supervisors")
    SUPERVISOR = Role.SUPERVISOR.value, _("Supervisors only")


class WorkflowStep(models.Model):
    """One approval step of a service's working workflow: published with the form (`FormVersion.schema`).

    Steps with the same stage run in parallel; stages run in ascending order.
    """

    objects: ClassVar[MultilingualManager[WorkflowStep]]

    service = models.ForeignKey(
        DigitalService, verbose_name=_("digital service"), on_delete=models.CASCADE, related_name="steps"
    )
    stage = models.PositiveSmallIntegerField(
        verbose_name=_("stage"), default=1, help_text=_("Steps of one stage run in parallel.")
    )
    position = models.PositiveIntegerField(
        verbose_name=_("position in the list"), default=0, help_text=_("The order within the stage.")
    )
    name = models.CharField(verbose_name=_("name"), max_length=200)
    instructions = models.TextField(
        verbose_name=_("instructions"), blank=True, help_text=_("What the reviewer checks.")
    )
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(
        verbose_name=_("who decides"), max_length=16, choices=StepRole.choices, default=StepRole.STAFF
    )
    sla_business_days = models.PositiveSmallIntegerField(verbose_name=_("business days to decide"), default=5)

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ("stage", "position", "pk")

    def __str__(self) -> str:
        return self.name


class FormVersion(models.Model):
    """A published form: its schema never changes once written (services only create versions)."""

    service = models.ForeignKey(
        DigitalService, verbose_name=_("digital service"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(
        verbose_name=_("number"),
    )
    schema = models.JSONField(
        verbose_name=_("published form"),
    )
    published_at = models.DateTimeField(
        verbose_name=_("published"),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        constraints = [models.UniqueConstraint(fields=("service", "number"), name="applications_one_number")]
        ordering = ("service", "-number")

    def __str__(self) -> str:
        return f"{self.service.code} v{self.number}"


class Status(models.TextChoices):
    """Where an application is; the workflow table (workflow.py) says how it moves and in which words.

    `submitted` is an application on a version without approval steps (versions published before the
    workflow existed, or a service that has none): received, and handled outside CityHall.
    """

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    INFO_REQUESTED = "info_requested", _("Information requested")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


class Channel(models.TextChoices):
    WEB = "web", _("Online")
    PAPER = "paper", _("Paper form")


def new_reference() -> str:
    """Eight random digits: easy to read over the phone, not guessable in sequence."""
    return f"{secrets.randbelow(90_000_000) + 10_000_000}"


class Application(models.Model):
    reference = models.CharField(verbose_name=_("reference number"), max_length=12, unique=True, default=new_reference)
    service = models.ForeignKey(
        DigitalService, verbose_name=_("digital service"), on_delete=models.PROTECT, related_name="applications"
    )
    form_version = models.ForeignKey(
        FormVersion, verbose_name=_("form version"), on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applicant"), on_delete=models.CASCADE, related_name="applications"
    )
    status = models.CharField(verbose_name=_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    channel = models.CharField(
        verbose_name=_("received by"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    # Paper: the staff member who keyed the applicant's paper form in (and alone may fill in the draft with them).
    keyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("typed in by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answers = models.JSONField(verbose_name=_("answers"), default=dict)
    language = models.CharField(verbose_name=_("language"), max_length=8, default="en")
    created_at = models.DateTimeField(
        verbose_name=_("created"),
    )
    updated_at = models.DateTimeField(
        verbose_name=_("last changed"),
    )
    submitted_at = models.DateTimeField(verbose_name=_("submitted"), null=True, blank=True)
    # While information is requested the steps' SLA clock is paused from this moment.
    info_requested_at = models.DateTimeField(verbose_name=_("information requested"), null=True, blank=True)
    # When it was approved or denied (or withdrawn, or expired).
    decided_at = models.DateTimeField(verbose_name=_("decided"), null=True, blank=True)
    # The number of the decision document (cityhall.documents), once issued.
    document_number = models.CharField(verbose_name=_("document number"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=("applicant", "-updated_at"), name="applications_of_applicant"),
            models.Index(fields=("status", "info_requested_at"), name="applications_waiting"),
        ]

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


class StepStatus(models.TextChoices):
    # A step's words in their own context: a review step is masculine in Spanish, an application feminine.
    WAITING = "waiting", pgettext_lazy("review step", "Waiting")
    OPEN = "open", pgettext_lazy("review step", "Open")
    APPROVED = "approved", pgettext_lazy("review step", "Approved")
    DENIED = "denied", pgettext_lazy("review step", "Denied")
    CANCELLED = "cancelled", pgettext_lazy("review step", "Canceled")


class ApplicationStep(models.Model):
    """One approval step of one application, copied from its version's snapshot at submission.

    Its words are the snapshot's, every language (`name`, `instructions`: {"en": …, "es": …}); the
    department and role decide who may act on it; `due_at` is business time from when it opened, moved
    later by the time the application waited for the applicant's answer.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    stage = models.PositiveSmallIntegerField()
    name = models.JSONField(default=dict)
    instructions = models.JSONField(default=dict)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=16, choices=StepRole.choices, default=StepRole.STAFF)
    sla_business_days = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=StepStatus.choices, default=StepStatus.WAITING)
    opened_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    conditions = models.TextField(blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ("application", "position")
        constraints = [models.UniqueConstraint(fields=("application", "position"), name="applications_step_once")]
        indexes = [models.Index(fields=("department", "status", "due_at"), name="applications_step_queue")]

    def __str__(self) -> str:
        return f"{self.application_id} step {self.position}"

    def label(self, language: str | None = None) -> str:
        """The step's name in this language (the active one by default), else English."""
        words: dict[str, str] = self.name or {}
        return words.get(language or get_language() or "en") or words.get("en") or ""


class ApplicationEvent(models.Model):
    """What happened to an application, in order: started, saved, submitted, each step, the decision…"""

    class Kind(models.TextChoices):
        STARTED = "started", _("Started")
        SAVED = "saved", _("Draft saved")
        FILE_ADDED = "file_added", _("Document attached")
        SUBMITTED = "submitted", _("Signed and submitted")
        STEP_OPENED = "step_opened", _("Review step opened")
        STEP_APPROVED = "step_approved", _("Review step approved")
        STEP_DENIED = "step_denied", _("Review step denied")
        STEP_CANCELLED = "step_cancelled", _("Review step canceled")
        INFO_REQUESTED = "info_requested", _("Information requested")
        INFO_PROVIDED = "info_provided", _("Information provided")
        APPROVED = "approved", _("Approved")
        DENIED = "denied", _("Denied")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")
        NOTE = "note", _("Internal note")
        DOCUMENT_ISSUED = "document_issued", _("Decision document issued")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_from = models.CharField(max_length=20, blank=True)
    status_to = models.CharField(max_length=20, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    step = models.ForeignKey(ApplicationStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The words of the change: a question, an answer, a reason, conditions, a note (internal or not: `kind`).
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind}"

    @property
    def status_reached(self) -> str:
        """The status this event moved the application to, when a timeline should say so; else "".

        Not when the status stayed as it was, nor when the event is named after the status it
        reached (an "Approved" event ends in "Approved"): the row would read "Approved → Approved".
        """
        if not self.status_to or self.status_to in (self.status_from, self.kind):
            return ""
        return self.status_to
