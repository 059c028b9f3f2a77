"""The public projection: exactly what `privacy.public_request` and `privacy.public_update` return, one row each.

Every dataset, format and API reads these tables (or the catalogue), never the request tables, so
nothing the privacy rule drops can reach a download. Only `services/projection.py` writes them.
Column names are Socrata-style (lowercase, underscores): they are the public names of the data.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicRequest(models.Model):
    """One public service request. Private services have no row; sensitive ones a generalized place."""

    # The request's internal key: how upkeep finds the row. Never published (datasets select by name).
    request = models.OneToOneField(
        "requests.ServiceRequest", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    service_request_id = models.CharField(max_length=32, unique=True)
    service_code = models.CharField(max_length=64)
    service_name = models.CharField(max_length=150)
    service_name_es = models.CharField(max_length=150, blank=True)
    category_group = models.CharField(max_length=120, blank=True)
    department = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=8, help_text="Open311 status: open or closed.")
    status_detail = models.CharField(max_length=16, help_text="The workflow status, e.g. in_progress.")
    resolution = models.CharField(max_length=16, blank=True)
    status_notes = models.TextField(blank=True)
    requested_datetime = models.DateTimeField()
    updated_datetime = models.DateTimeField()
    expected_datetime = models.DateTimeField(null=True)
    closed_datetime = models.DateTimeField(null=True)
    address = models.CharField(max_length=300, blank=True)
    neighborhood = models.CharField(max_length=120, blank=True)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    location_generalized = models.BooleanField(default=False)
    description = models.TextField(blank=True)
    channel = models.CharField(max_length=16)
    support_count = models.PositiveIntegerField(default=0)
    # Derived for the performance dataset, in the city's time zone (portable GROUP BY on both databases).
    requested_date = models.DateField()
    hours_to_close = models.FloatField(null=True)
    sla_met = models.BooleanField(null=True, help_text="Closed by its expected time; empty without an SLA or open.")

    class Meta:
        indexes = [
            models.Index(fields=["requested_datetime"], name="od_request_requested"),
            models.Index(fields=["updated_datetime"], name="od_request_updated"),
            models.Index(fields=["status", "requested_datetime"], name="od_request_status"),
            models.Index(fields=["service_code", "requested_datetime"], name="od_request_service"),
            models.Index(fields=["neighborhood", "requested_datetime"], name="od_request_neighborhood"),
            models.Index(fields=["requested_date", "service_code", "neighborhood"], name="od_request_daily"),
            models.Index(fields=["latitude", "longitude"], name="od_request_place"),
        ]

    def __str__(self) -> str:
        return f"#{self.service_request_id}"


class PublicRequestUpdate(models.Model):
    """One public event of a public request's timeline (internal notes and private services never)."""

    event = models.OneToOneField("requests.RequestEvent", primary_key=True, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(PublicRequest, on_delete=models.CASCADE, related_name="updates")
    service_request_id = models.CharField(max_length=32)
    service_code = models.CharField(max_length=64)
    updated_datetime = models.DateTimeField()
    update_type = models.CharField(max_length=16, help_text="submitted, transition, comment, …")
    action = models.CharField(max_length=16, blank=True)
    status = models.CharField(max_length=8, blank=True, help_text="Open311 status after the event.")
    status_detail = models.CharField(max_length=16, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["updated_datetime"], name="od_update_time"),
            models.Index(fields=["service_request_id", "updated_datetime"], name="od_update_request"),
        ]

    def __str__(self) -> str:
        return f"#{self.service_request_id} {self.update_type}"


class PublishedDataset(models.Model):
    """A dataset of the registry, as a row so the admin can list them (read-only; `registry.py` is the truth).

    `services.datasets_listed` writes one row per registry dataset whenever the admin lists them.
    """

    id = models.CharField(
        verbose_name=_("dataset ID"), primary_key=True, max_length=9, help_text=_("The Socrata 4x4 id.")
    )
    slug = models.SlugField(verbose_name=_("short name in addresses"), max_length=80)

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.id


class DataExport(models.Model):
    """One export of a dataset with the fields the public never sees: who took it, when, what and how much.

    Written by `services.dataset_export` before the first byte leaves; `rows` is filled in when the
    last one has, so an export left empty was cut off (the person closed the download, the command died).
    """

    class Via(models.TextChoices):
        STAFF = "staff", _("Staff workspace")
        COMMAND = "command", _("cityhall export")

    created_at = models.DateTimeField(verbose_name=_("created"), db_index=True)
    user = models.ForeignKey(
        "accounts.User", verbose_name=_("account"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    who = models.CharField(
        verbose_name=_("who"),
        max_length=254,
        help_text=_("The account's email, or the system user who ran the command."),
    )
    via = models.CharField(verbose_name=_("from"), max_length=8, choices=Via.choices)
    dataset_id = models.CharField(verbose_name=_("dataset"), max_length=9)
    file_format = models.CharField(verbose_name=_("file format"), max_length=8)
    rows = models.PositiveIntegerField(
        verbose_name=_("rows"), null=True, blank=True, help_text=_("Empty: the export did not finish.")
    )
    finished_at = models.DateTimeField(verbose_name=_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.dataset_id} by {self.who}"
