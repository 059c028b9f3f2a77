"""The ServiceRequest aggregate: the request, its timeline of events, its photos and supporters.

Only `services/` writes these rows; only `selectors/` composes queries across them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .workflow import RESOLUTIONS, STATUSES, Status


# Labels are lazy translations, kept here once: pages read `.label` in the reader's language.
class Channel(models.TextChoices):
    WEB = "web", _("Web")
    PHONE = "phone", _("Phone")
    WALK_IN = "walk_in", _("Walk-in")
    OPEN311 = "open311", _("Open311 client")
    API = "api", _("Partner API")
    DEVICE = "device", _("Device or sensor")
    IMPORT = "import", _("Imported")


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")
    URGENT = 4, _("Urgent")


class ServiceRequest(models.Model):
    """One problem reported by a resident (or a device), from submission to verified closure.

    `public_id` is what people read over the phone; `tracking_token` is the secret that lets an
    anonymous reporter follow, confirm and reopen their request. Reporter contact fields are never
    shown publicly.
    """

    # Not indexed on its own: nearly every install has one jurisdiction, and SQLite, which keeps no
    # statistics unless asked, takes an equality on an indexed column for a selective one. It read
    # every request through such an index and sorted them all for each page of the public list.
    jurisdiction = models.ForeignKey(
        "catalogue.Jurisdiction",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="requests",
        db_index=False,
    )
    public_id = models.CharField(verbose_name=_("request number"), max_length=32, unique=True)
    tracking_token = models.CharField(verbose_name=_("tracking code"), max_length=64, unique=True)
    # Indexed first in request_service_newest, which serves the foreign key as well.
    service = models.ForeignKey(
        "catalogue.Service",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="requests",
        db_index=False,
    )
    description = models.TextField(verbose_name=_("description"), blank=True)
    attributes = models.JSONField(
        verbose_name=_("answers"), default=dict, blank=True, help_text=_("Answers to the service's questions, by code.")
    )

    lat = models.FloatField(verbose_name=_("latitude"), null=True, blank=True)
    lng = models.FloatField(verbose_name=_("longitude"), null=True, blank=True)
    cell = models.BigIntegerField(
        verbose_name=_("map cell"),
        null=True,
        blank=True,
        help_text=_("The map cell of the place (H3), used to find nearby requests."),
    )
    address = models.CharField(verbose_name=_("address"), max_length=300, blank=True)
    address_id = models.CharField(verbose_name=_("address ID"), max_length=64, blank=True)
    zipcode = models.CharField(verbose_name=_("ZIP code"), max_length=16, blank=True)
    location_description = models.CharField(
        verbose_name=_("place description"),
        max_length=500,
        blank=True,
        help_text=_("A described place, e.g. 'bench by the pier stairs'."),
    )
    zone = models.ForeignKey(
        "catalogue.Zone",
        verbose_name=_("zone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    media_url = models.URLField(
        verbose_name=_("photo link"),
        max_length=1000,
        blank=True,
        help_text=_("A photo link posted by an Open311 client, kept as sent."),
    )
    report_photo = models.CharField(
        verbose_name=_("report photo"),
        max_length=200,
        blank=True,
        help_text=_("Stored name of the first public photo of the report (kept here so public lists show it quickly)."),
    )

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_requests",
    )
    reporter_name = models.CharField(verbose_name=_("reporter's name"), max_length=150, blank=True)
    reporter_email = models.EmailField(verbose_name=_("reporter's email"), blank=True)
    reporter_phone = models.CharField(verbose_name=_("reporter's phone"), max_length=32, blank=True)
    channel = models.CharField(
        verbose_name=_("received by"), max_length=16, choices=Channel.choices, default=Channel.WEB
    )
    language = models.CharField(
        verbose_name=_("language"),
        max_length=8,
        blank=True,
        help_text=_("The language the report was made in (its messages follow it)."),
    )
    api_client = models.CharField(
        verbose_name=_("partner"),
        max_length=120,
        blank=True,
        help_text=_("The Open311 partner (API key name) that posted it."),
    )
    device_id = models.CharField(
        verbose_name=_("Open311 device ID"), max_length=120, blank=True, help_text=_("Open311 device_id: never public.")
    )
    account_id = models.CharField(
        verbose_name=_("Open311 account ID"),
        max_length=120,
        blank=True,
        help_text=_("Open311 account_id: never public."),
    )
    batch_token = models.CharField(
        verbose_name=_("batch token"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("Open311 token returned for a batch service's POST."),
    )

    # The next three lead request_queue, request_assignee and request_crew, which serve their lookups
    # (and a deletion's SET NULL): an index of their own was one more to write per row (0017).
    department = models.ForeignKey(
        "catalogue.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
        db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_requests",
        db_index=False,
    )
    crew = models.ForeignKey(
        "catalogue.Crew",
        verbose_name=_("crew"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
        help_text=_("The field crew working it; with an assignee too, that person leads it."),
        db_index=False,
    )
    priority = models.PositiveSmallIntegerField(
        verbose_name=_("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=16,
        choices=[(s.value, info.label) for s, info in STATUSES.items()],
        default=Status.SUBMITTED,
    )
    resolution = models.CharField(
        verbose_name=_("resolution"),
        max_length=16,
        choices=[(r.value, info.label) for r, info in RESOLUTIONS.items()],
        blank=True,
        default="",
    )
    status_note = models.TextField(
        verbose_name=_("status note"), blank=True, help_text=_("The latest public note: Open311 status_notes.")
    )
    hold_reason = models.CharField(verbose_name=_("why on hold"), max_length=300, blank=True)
    referred_to = models.CharField(
        verbose_name=_("referred to"), max_length=200, blank=True, help_text=_("The agency a referred request went to.")
    )
    referral_url = models.URLField(verbose_name=_("referral link"), max_length=500, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    support_count = models.PositiveIntegerField(
        verbose_name=_("“me too” count"), default=0, help_text=_("Residents who said 'me too'.")
    )

    requested_at = models.DateTimeField(verbose_name=_("reported"), db_index=True)
    updated_at = models.DateTimeField(verbose_name=_("last changed"), db_index=True)
    expected_at = models.DateTimeField(
        verbose_name=_("expected by"),
        null=True,
        blank=True,
        help_text=_("When it should be done, from the service’s hours to resolve (business hours)."),
    )
    sla_remaining_seconds = models.BigIntegerField(
        verbose_name=_("seconds left when put on hold"),
        null=True,
        blank=True,
        help_text=_("Business seconds left to resolve when it was put on hold (the clock is paused)."),
    )
    resolved_at = models.DateTimeField(verbose_name=_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(verbose_name=_("closed"), null=True, blank=True)

    import_source = models.CharField(
        verbose_name=_("imported from"), max_length=64, blank=True, help_text=_("Where an imported request came from.")
    )
    external_id = models.CharField(
        verbose_name=_("ID in that source"), max_length=64, blank=True, help_text=_("Its id in that source.")
    )

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-requested_at"]
        indexes = [
            # The duplicate prompt (selectors.nearby_requests): a service's requests in a few cells that
            # are open, or were resolved in the last days. Open ones come from the partial index below;
            # finished ones by resolved_at here, so the years of closed requests in those cells are
            # skipped rather than read and filtered (bench/big_city.py, docs/operations.md "Scale").
            models.Index(fields=["service", "cell", "resolved_at"], name="request_service_cell"),
            models.Index(
                fields=["service", "cell"],
                condition=Q(status__in=["submitted", "routed", "assigned", "in_progress", "on_hold"]),
                name="request_open_service_cell",
            ),
            # A service's requests newest first: the public list filtered by service reads its page in
            # order instead of sorting the service's whole history.
            models.Index(fields=["service", "-requested_at", "-id"], name="request_service_newest"),
            # Open requests of a service, newest first: the public list's commonest filter.
            models.Index(
                fields=["service", "-requested_at", "-id"],
                condition=Q(status__in=["submitted", "routed", "assigned", "in_progress", "on_hold"]),
                name="request_open_by_service",
            ),
            # A department's queue, soonest due first: read in order, never sorted (staff queues).
            models.Index(
                fields=["department", "expected_at", "requested_at", "id"],
                condition=Q(status__in=["routed", "assigned", "in_progress", "on_hold"]),
                name="request_department_due",
            ),
            # A cell's requests newest first, with what a radius search tests: PostgreSQL picks a page
            # of the public list within a circle from this index alone (SQLite has no INCLUDE).
            models.Index(
                fields=["cell", "requested_at", "id"],
                include=["lat", "lng", "jurisdiction", "service"],
                name="request_cell_recent",
            ),
            models.Index(fields=["status", "requested_at"], name="request_status_requested"),
            models.Index(fields=["department", "status", "expected_at"], name="request_queue"),
            models.Index(fields=["assignee", "status"], name="request_assignee"),
            models.Index(fields=["crew", "status"], name="request_crew"),
            models.Index(fields=["status", "resolved_at"], name="request_status_resolved"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["import_source", "external_id"],
                condition=~Q(import_source=""),
                name="request_import_unique",
            ),
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lng__isnull=True)
                | Q(lat__gte=-90, lat__lte=90, lng__gte=-180, lng__lte=180),
                name="request_latlng_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[Status.RESOLVED, Status.CLOSED]) | ~Q(resolution=""),
                name="request_done_has_resolution",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.public_id}"

    @property
    def assigned_to(self) -> str:
        """Who works it, as staff read it: "Ana Ruiz · Pothole crew", "Pothole crew" or "Ana Ruiz"."""
        person, crew = self.assignee if self.assignee_id else None, self.crew if self.crew_id else None
        if person and crew:
            return f"{person} · {crew}"
        return str(person or crew or "")


class RequestEvent(models.Model):
    """One change on the timeline: who did what, from which status to which, with which notes.

    Residents see events with a public side; the internal note is staff-only. Open311
    status_notes and servicerequestupdates, the audit log and the live streams all read these rows.
    """

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        TRANSITION = "transition", _("Status change")
        COMMENT = "comment", _("Public reply")
        NOTE = "note", _("Internal note")
        RECATEGORISED = "recategorised", _("Category changed")
        SUPPORTED = "supported", _("Support added")
        MERGED = "merged", _("Duplicate merged in")
        IMPORTED = "imported", _("Imported")

    # Led by event_request_time, which serves every lookup by request (0017).
    request = models.ForeignKey(
        ServiceRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="events", db_index=False
    )
    created_at = models.DateTimeField(verbose_name=_("when"), db_index=True)
    kind = models.CharField(verbose_name=_("kind"), max_length=16, choices=Kind.choices)
    action = models.CharField(verbose_name=_("action"), max_length=16, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_role = models.CharField(verbose_name=_("their role"), max_length=16, blank=True)
    from_status = models.CharField(verbose_name=_("from status"), max_length=16, blank=True)
    to_status = models.CharField(verbose_name=_("to status"), max_length=16, blank=True)
    public_note = models.TextField(verbose_name=_("public note"), blank=True)
    internal_note = models.TextField(verbose_name=_("internal note"), blank=True)
    data = models.JSONField(
        verbose_name=_("details"),
        default=dict,
        blank=True,
        help_text=_("Details: department, assignee, resolution, parent…"),
    )

    class Meta:
        verbose_name = _("request update")
        verbose_name_plural = _("request updates")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at"], name="event_request_time")]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind} {self.action}"

    @property
    def is_public(self) -> bool:
        return self.kind != self.Kind.NOTE


def photo_path(instance: Attachment, filename: str) -> str:
    return f"requests/{instance.sha256[:2]}/{filename}"


class Attachment(models.Model):
    """A photo, stored only after sanitising: type sniffed, EXIF/GPS stripped, re-encoded, thumbnailed."""

    class Purpose(models.TextChoices):
        REPORT = "report", _("With the report")
        COMPLETION = "completion", _("When the work was done")
        UPDATE = "update", _("With an update")

    request = models.ForeignKey(
        ServiceRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="attachments"
    )
    event = models.ForeignKey(
        RequestEvent,
        verbose_name=_("request update"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    purpose = models.CharField(
        verbose_name=_("taken for"), max_length=16, choices=Purpose.choices, default=Purpose.REPORT
    )
    is_public = models.BooleanField(verbose_name=_("public"), default=True)
    # Indexed: every download looks its photo up by storage name for the access check (access.photo_for).
    image = models.FileField(verbose_name=_("image"), upload_to=photo_path, db_index=True)
    thumbnail = models.FileField(verbose_name=_("thumbnail"), upload_to=photo_path, db_index=True)
    content_type = models.CharField(verbose_name=_("file type"), max_length=32)
    width = models.PositiveIntegerField(
        verbose_name=_("width"),
    )
    height = models.PositiveIntegerField(
        verbose_name=_("height"),
    )
    size = models.PositiveIntegerField(
        verbose_name=_("size (bytes)"),
    )
    sha256 = models.CharField(verbose_name=_("fingerprint (SHA-256)"), max_length=64)
    created_at = models.DateTimeField(
        verbose_name=_("created"),
    )

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        name: str = self.image.name  # a stored photo always has one
        return name


class Support(models.Model):
    """A resident's 'me too' on a request (or a reporter whose duplicate was merged into it)."""

    request = models.ForeignKey(
        ServiceRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="supports",
    )
    email = models.EmailField(verbose_name=_("email"), blank=True)
    via_duplicate = models.ForeignKey(
        ServiceRequest,
        verbose_name=_("from the duplicate"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(
        verbose_name=_("created"),
    )

    class Meta:
        verbose_name = _("“me too”")
        verbose_name_plural = _("“me too”s")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "user"], condition=Q(user__isnull=False), name="support_user_unique"
            ),
            models.UniqueConstraint(fields=["request", "email"], condition=~Q(email=""), name="support_email_unique"),
        ]

    def __str__(self) -> str:
        return f"support on {self.request_id}"


class Feedback(models.Model):
    """The requester's rating (1–5) and comment once the city said it was done: for staff, never public.

    One per request: only the requester (the account that reported it, or whoever holds the tracking
    token) may give it, once, after the request was resolved at least once.
    """

    request = models.OneToOneField(ServiceRequest, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(help_text="1 (very poor) to 5 (very good).")
    comment = models.TextField(blank=True)
    confirmed_fixed = models.BooleanField(
        null=True, help_text="Whether the request was closed as fixed (True) or reopened (False) when this was given."
    )
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"feedback {self.rating}/5 on {self.request_id}"
