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
        "catalogue.Jurisdiction", on_delete=models.PROTECT, related_name="requests", db_index=False
    )
    public_id = models.CharField(max_length=32, unique=True)
    tracking_token = models.CharField(max_length=64, unique=True)
    # Indexed first in request_service_newest, which serves the foreign key as well.
    service = models.ForeignKey("catalogue.Service", on_delete=models.PROTECT, related_name="requests", db_index=False)
    description = models.TextField(blank=True)
    attributes = models.JSONField(default=dict, blank=True, help_text="Answers to the service's questions, by code.")

    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    cell = models.BigIntegerField(null=True, blank=True, help_text="H3 cell of (lat, lng): the spatial index key.")
    address = models.CharField(max_length=300, blank=True)
    address_id = models.CharField(max_length=64, blank=True)
    zipcode = models.CharField(max_length=16, blank=True)
    location_description = models.CharField(
        max_length=500, blank=True, help_text="A described place, e.g. 'bench by the pier stairs'."
    )
    zone = models.ForeignKey(
        "catalogue.Zone", null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    media_url = models.URLField(
        max_length=1000, blank=True, help_text="A photo link posted by an Open311 client, kept as sent."
    )
    report_photo = models.CharField(
        max_length=200,
        blank=True,
        help_text="Storage name of the first public report photo (denormalised: public lists read it without a join).",
    )

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reported_requests"
    )
    reporter_name = models.CharField(max_length=150, blank=True)
    reporter_email = models.EmailField(blank=True)
    reporter_phone = models.CharField(max_length=32, blank=True)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.WEB)
    language = models.CharField(
        max_length=8, blank=True, help_text="The language the report was made in (its messages follow it)."
    )
    api_client = models.CharField(
        max_length=120, blank=True, help_text="The Open311 partner (API key name) that posted it."
    )
    device_id = models.CharField(max_length=120, blank=True, help_text="Open311 device_id: never public.")
    account_id = models.CharField(max_length=120, blank=True, help_text="Open311 account_id: never public.")
    batch_token = models.CharField(
        max_length=64, blank=True, db_index=True, help_text="Open311 token returned for a batch service's POST."
    )

    # The next three lead request_queue, request_assignee and request_crew, which serve their lookups
    # (and a deletion's SET NULL): an index of their own was one more to write per row (0017).
    department = models.ForeignKey(
        "catalogue.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
        db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_requests",
        db_index=False,
    )
    crew = models.ForeignKey(
        "catalogue.Crew",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
        help_text="The field crew working it; with an assignee too, that person leads it.",
        db_index=False,
    )
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(
        max_length=16, choices=[(s.value, info.label) for s, info in STATUSES.items()], default=Status.SUBMITTED
    )
    resolution = models.CharField(
        max_length=16, choices=[(r.value, info.label) for r, info in RESOLUTIONS.items()], blank=True, default=""
    )
    status_note = models.TextField(blank=True, help_text="The latest public note: Open311 status_notes.")
    hold_reason = models.CharField(max_length=300, blank=True)
    referred_to = models.CharField(max_length=200, blank=True, help_text="The agency a referred request went to.")
    referral_url = models.URLField(max_length=500, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    support_count = models.PositiveIntegerField(default=0, help_text="Residents who said 'me too' (denormalised).")

    requested_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(db_index=True)
    expected_at = models.DateTimeField(null=True, blank=True, help_text="Expected-by, from the SLA in business hours.")
    sla_remaining_seconds = models.BigIntegerField(
        null=True, blank=True, help_text="Business seconds left on the SLA when put on hold (the clock is paused)."
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    import_source = models.CharField(max_length=64, blank=True, help_text="Where an imported request came from.")
    external_id = models.CharField(max_length=64, blank=True, help_text="Its id in that source.")

    class Meta:
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
        SUBMITTED = "submitted", "Submitted"
        TRANSITION = "transition", "Status change"
        COMMENT = "comment", "Public reply"
        NOTE = "note", "Internal note"
        RECATEGORISED = "recategorised", "Category changed"
        SUPPORTED = "supported", "Support added"
        MERGED = "merged", "Duplicate merged in"
        IMPORTED = "imported", "Imported"

    # Led by event_request_time, which serves every lookup by request (0017).
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events", db_index=False)
    created_at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    action = models.CharField(max_length=16, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_role = models.CharField(max_length=16, blank=True)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    public_note = models.TextField(blank=True)
    internal_note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True, help_text="Details: department, assignee, resolution, parent…")

    class Meta:
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
        REPORT = "report", "Report"
        COMPLETION = "completion", "Completion"
        UPDATE = "update", "Update"

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        RequestEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    purpose = models.CharField(max_length=16, choices=Purpose.choices, default=Purpose.REPORT)
    is_public = models.BooleanField(default=True)
    # Indexed: every download looks its photo up by storage name for the access check (access.photo_for).
    image = models.FileField(upload_to=photo_path, db_index=True)
    thumbnail = models.FileField(upload_to=photo_path, db_index=True)
    content_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        name: str = self.image.name  # a stored photo always has one
        return name


class Support(models.Model):
    """A resident's 'me too' on a request (or a reporter whose duplicate was merged into it)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="supports"
    )
    email = models.EmailField(blank=True)
    via_duplicate = models.ForeignKey(
        ServiceRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
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
