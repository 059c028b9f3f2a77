"""City policy as data: jurisdictions, departments, services and their questions, zones, routing.

A second city is a new Jurisdiction row, never a fork or a setting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

if TYPE_CHECKING:
    from modeltranslation.manager import MultilingualManager

DEFAULT_BUSINESS_HOURS = {day: ["08:00", "17:00"] for day in ("mon", "tue", "wed", "thu", "fri")}


def default_business_hours() -> dict[str, list[str]]:
    return {day: list(hours) for day, hours in DEFAULT_BUSINESS_HOURS.items()}


class Jurisdiction(models.Model):
    """A city (or county, or agency) served by this deployment, with its boundary and working hours."""

    # modeltranslation swaps in its manager at startup (catalogue/translation.py); said here for the type checker.
    objects: ClassVar[MultilingualManager[Jurisdiction]]

    name = models.CharField(max_length=120)
    jurisdiction_id = models.CharField(
        max_length=120, unique=True, help_text="The Open311 jurisdiction_id, usually the city's domain."
    )
    boundary = models.JSONField(help_text="GeoJSON Polygon or MultiPolygon in WGS84 (lon/lat).")
    timezone = models.CharField(max_length=64, default="America/Los_Angeles")
    business_hours = models.JSONField(
        default=default_business_hours,
        blank=True,
        help_text='Opening hours per weekday, e.g. {"mon": ["08:00", "17:00"]}. Empty means round the clock.',
    )
    holidays = models.JSONField(default=list, blank=True, help_text="ISO dates when the city is closed.")
    auto_close_days = models.PositiveSmallIntegerField(
        default=7, help_text="Days a resolved request waits for the requester before it closes by itself."
    )
    reopen_window_days = models.PositiveSmallIntegerField(
        default=30, help_text="Days after resolution during which the requester may reopen."
    )
    anonymise_after_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Erase reporters' personal details (name, email, phone, account link) this many days after "
        "a request closes. Empty: keep them.",
    )
    # How residents know the site and reach the city: the header, the official-website banner, the footer
    # and the contact, privacy and accessibility pages read these, so the product's own name never stands
    # where a resident expects the city's.
    # A phone's home screen cuts a longer label to "City of Sa…"; no rule shortens a name well, so the city says it.
    short_name = models.CharField(
        max_length=12,
        blank=True,
        help_text="The name under the app's icon on a phone's home screen, 12 characters at most, e.g. "
        "“Santa Monica”. Empty: the full name.",
    )
    website = models.URLField(blank=True, help_text="The city's official website, e.g. https://www.santamonica.gov.")
    logo = models.ImageField(
        upload_to="city/", blank=True, help_text="Shown in the site's header next to the city's name (PNG or JPEG)."
    )
    contact_phone = models.CharField(max_length=32, blank=True, help_text="For non-emergency questions, e.g. 311.")
    contact_email = models.EmailField(blank=True)
    contact_address = models.CharField(max_length=200, blank=True, help_text="City Hall's street address.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from cityhall.core.business_time import BusinessCalendar
        from cityhall.core.geometry import parse_area

        try:
            parse_area(self.boundary)
        except ValueError as exc:
            raise ValidationError({"boundary": str(exc)}) from exc
        try:
            BusinessCalendar.from_config(self.timezone, self.business_hours, self.holidays)
        except ValueError as exc:
            raise ValidationError({"business_hours": str(exc)}) from exc


class Department(models.Model):
    """A team that owns a queue of requests (Public Works, Code Enforcement…)."""

    objects: ClassVar[MultilingualManager[Department]]

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "slug"], name="department_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Crew(models.Model):
    """A field team of a department (a pothole crew, a graffiti crew) that requests can be assigned to.

    Any member sees and works the crew's requests from "My work"; no member sees the rest of the
    department's queue unless their role says so.
    """

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="crews")
    name = models.CharField(max_length=120)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="crews",
        help_text="Staff of the same department who work this crew's requests.",
    )
    active = models.BooleanField(default=True, help_text="Inactive crews are no longer offered for assignment.")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="crew_name_unique")]

    def __str__(self) -> str:
        return self.name


class ServiceGroup(models.Model):
    """A heading residents pick categories under (Graffiti, Streets and Sidewalks…)."""

    objects: ClassVar[MultilingualManager[ServiceGroup]]

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="service_groups")
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="service_group_unique")]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A request category: the Open311 service, plus the city's policy for it."""

    objects: ClassVar[MultilingualManager[Service]]

    class Type(models.TextChoices):
        REALTIME = "realtime", "realtime"
        BATCH = "batch", "batch"
        BLACKBOX = "blackbox", "blackbox"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="services")
    code = models.CharField(max_length=64, help_text="Open311 service_code.")
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    group = models.ForeignKey(ServiceGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="services")
    keywords = models.CharField(max_length=300, blank=True, help_text="Comma-separated words residents might search.")
    type = models.CharField(max_length=10, choices=Type.choices, default=Type.REALTIME)
    default_department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="default_services"
    )
    sla_hours = models.PositiveIntegerField(
        null=True, blank=True, help_text="Business hours allowed to resolve; empty means no promise."
    )
    closure_needs_photo = models.BooleanField(default=False, help_text="Resolving as fixed needs a completion photo.")
    anonymous_allowed = models.BooleanField(default=True)
    is_private = models.BooleanField(default=False, help_text="Hidden from public lists (e.g. sensitive categories).")
    sensitive = models.BooleanField(
        default=False,
        help_text="Published in open data without a description and with its place generalized to a ~150 m cell "
        "(e.g. encampments, domestic noise): the place could point at a person.",
    )
    urgent = models.BooleanField(
        default=False,
        help_text="Danger to people is possible (e.g. fire hazards): the report form shows the call-911 notice first.",
    )
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "code"], name="service_code_unique")]

    def __str__(self) -> str:
        return self.name


class ServiceAttribute(models.Model):
    """One question of a service definition, with every Open311 datatype."""

    objects: ClassVar[MultilingualManager[ServiceAttribute]]

    class Datatype(models.TextChoices):
        STRING = "string", "string"
        NUMBER = "number", "number"
        DATETIME = "datetime", "datetime"
        TEXT = "text", "text"
        SINGLEVALUELIST = "singlevaluelist", "single value list"
        MULTIVALUELIST = "multivaluelist", "multi value list"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    code = models.CharField(max_length=64)
    variable = models.BooleanField(default=True, help_text="False for an informational note that takes no answer.")
    datatype = models.CharField(max_length=16, choices=Datatype.choices, default=Datatype.STRING)
    required = models.BooleanField(default=False)
    description = models.CharField(max_length=300, help_text="The question as residents read it.")
    datatype_description = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["service", "code"], name="attribute_code_unique")]

    def __str__(self) -> str:
        return f"{self.service.code}:{self.code}"

    @property
    def is_list(self) -> bool:
        return self.datatype in (self.Datatype.SINGLEVALUELIST, self.Datatype.MULTIVALUELIST)


class AttributeValue(models.Model):
    """A choice of a list attribute: `key` is what clients send, `name` what people read."""

    objects: ClassVar[MultilingualManager[AttributeValue]]

    attribute = models.ForeignKey(ServiceAttribute, on_delete=models.CASCADE, related_name="values")
    key = models.CharField(max_length=64)
    name = models.CharField(max_length=150)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["attribute", "key"], name="attribute_value_unique")]

    def __str__(self) -> str:
        return self.name


class Zone(models.Model):
    """An area of the city (neighbourhood, district) used for routing, filters and statistics."""

    class Kind(models.TextChoices):
        NEIGHBOURHOOD = "neighbourhood", "Neighborhood"
        DISTRICT = "district", "District"
        OTHER = "other", "Other"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="zones")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.NEIGHBOURHOOD)
    geometry = models.JSONField(help_text="GeoJSON Polygon or MultiPolygon in WGS84 (lon/lat).")
    url = models.URLField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "slug"], name="zone_slug_unique")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from cityhall.core.geometry import parse_area

        try:
            parse_area(self.geometry)
        except ValueError as exc:
            raise ValidationError({"geometry": str(exc)}) from exc


class RoutingRule(models.Model):
    """In this zone, this service goes to this department instead of the service's default."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="routing_rules")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="routing_rules")
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="routing_rules")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="routing_rules")

    class Meta:
        ordering = ["service__name", "zone__name"]
        constraints = [models.UniqueConstraint(fields=["service", "zone"], name="routing_rule_unique")]

    def __str__(self) -> str:
        return f"{self.service} in {self.zone} → {self.department}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        for field in ("service", "zone", "department"):
            related = getattr(self, f"{field}_id") and getattr(self, field)
            if related and self.jurisdiction_id and related.jurisdiction_id != self.jurisdiction_id:
                errors[field] = "Belongs to another jurisdiction."
        if errors:
            raise ValidationError(errors)


class ResponseTemplate(models.Model):
    """A reply staff reuse: picked in a public reply or a resolution, then edited as needed.

    With a service it is offered only for that category; without one, for every category of the city.
    """

    objects: ClassVar[MultilingualManager[ResponseTemplate]]

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="response_templates")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="response_templates"
    )
    title = models.CharField(max_length=120, help_text="What staff pick from the list.")
    text = models.TextField(help_text="The reply residents read. Staff can edit it before sending.")
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        service = self.service if self.service_id else None
        if service is not None and self.jurisdiction_id and service.jurisdiction_id != self.jurisdiction_id:
            raise ValidationError({"service": "Belongs to another jurisdiction."})
