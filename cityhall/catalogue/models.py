"""City policy as data: jurisdictions, departments, services and their questions, zones, routing.

A second city is a new Jurisdiction row, never a fork or a setting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityhall.core.city_names import NameGender

if TYPE_CHECKING:
    from modeltranslation.manager import MultilingualManager

DEFAULT_BUSINESS_HOURS = {day: ["08:00", "17:00"] for day in ("mon", "tue", "wed", "thu", "fri")}


def default_business_hours() -> dict[str, list[str]]:
    return {day: list(hours) for day, hours in DEFAULT_BUSINESS_HOURS.items()}


class Jurisdiction(models.Model):
    """A city (or county, or agency) served by this deployment, with its boundary and working hours."""

    # modeltranslation swaps in its manager at startup (catalogue/translation.py); said here for the type checker.
    objects: ClassVar[MultilingualManager[Jurisdiction]]

    name = models.CharField(verbose_name=_("name"), max_length=120)
    # A sentence's article agrees with the name: "la Ciudad de Santa Mónica" but "el Condado de Los Ángeles",
    # "del Condado" (core/city_names.py). English has none, so one gender serves the deployment's languages.
    name_gender = models.CharField(
        _("grammatical gender of the name"),
        max_length=10,
        choices=NameGender.choices,
        default=NameGender.FEMININE,
        help_text=_(
            "How Spanish sentences name the city: “la Ciudad de Santa Mónica” is feminine, “el Condado de "
            "Los Ángeles” and “el Municipio de …” are masculine."
        ),
    )
    jurisdiction_id = models.CharField(
        verbose_name=_("Open311 jurisdiction ID"),
        max_length=120,
        unique=True,
        help_text=_("The Open311 jurisdiction_id, usually the city's domain."),
    )
    boundary = models.JSONField(
        verbose_name=_("city limits"), help_text=_("GeoJSON Polygon or MultiPolygon in WGS84 (lon/lat).")
    )
    timezone = models.CharField(verbose_name=_("time zone"), max_length=64, default="America/Los_Angeles")
    business_hours = models.JSONField(
        verbose_name=_("business hours"),
        default=default_business_hours,
        blank=True,
        help_text=_('Opening hours per weekday, e.g. {"mon": ["08:00", "17:00"]}. Empty means round the clock.'),
    )
    holidays = models.JSONField(
        verbose_name=_("holidays"), default=list, blank=True, help_text=_("ISO dates when the city is closed.")
    )
    auto_close_days = models.PositiveSmallIntegerField(
        verbose_name=_("days before closing by itself"),
        default=7,
        help_text=_("Days a resolved request waits for the requester before it closes by itself."),
    )
    reopen_window_days = models.PositiveSmallIntegerField(
        verbose_name=_("days the requester may reopen"),
        default=30,
        help_text=_("Days after resolution during which the requester may reopen."),
    )
    anonymise_after_days = models.PositiveSmallIntegerField(
        verbose_name=_("days before erasing reporters' details"),
        null=True,
        blank=True,
        help_text=_(
            "Erase reporters' personal details (name, email, phone, account link) this many days after "
            "a request closes. Empty: keep them."
        ),
    )
    # How residents know the site and reach the city: the header, the official-website banner, the footer
    # and the contact, privacy and accessibility pages read these, so the product's own name never stands
    # where a resident expects the city's.
    # A phone's home screen cuts a longer label to "City of Sa…"; no rule shortens a name well, so the city says it.
    short_name = models.CharField(
        verbose_name=_("short name"),
        max_length=12,
        blank=True,
        help_text=_(
            "The name under the app's icon on a phone's home screen, 12 characters at most, e.g. "
            "“Santa Monica”. Empty: the full name."
        ),
    )
    website = models.URLField(
        verbose_name=_("website"),
        blank=True,
        help_text=_("The city's official website, e.g. https://www.santamonica.gov."),
    )
    logo = models.ImageField(
        verbose_name=_("logo"),
        upload_to="city/",
        blank=True,
        help_text=_("Shown in the site's header next to the city's name (PNG or JPEG)."),
    )
    contact_phone = models.CharField(
        verbose_name=_("contact phone"),
        max_length=32,
        blank=True,
        help_text=_("For non-emergency questions, e.g. 311."),
    )
    contact_email = models.EmailField(verbose_name=_("contact email"), blank=True)
    contact_address = models.CharField(
        verbose_name=_("contact address"), max_length=200, blank=True, help_text=_("City Hall's street address.")
    )
    updated_at = models.DateTimeField(verbose_name=_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
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

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("city"), on_delete=models.CASCADE, related_name="departments"
    )
    name = models.CharField(verbose_name=_("name"), max_length=120)
    slug = models.SlugField(verbose_name=_("short name in addresses"), max_length=80)
    email = models.EmailField(verbose_name=_("email"), blank=True)
    phone = models.CharField(verbose_name=_("phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
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

    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.CASCADE, related_name="crews"
    )
    name = models.CharField(verbose_name=_("name"), max_length=120)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        blank=True,
        related_name="crews",
        help_text=_("Staff of the same department who work this crew's requests."),
    )
    active = models.BooleanField(
        verbose_name=_("in service"), default=True, help_text=_("Inactive crews are no longer offered for assignment.")
    )

    class Meta:
        verbose_name = _("crew")
        verbose_name_plural = _("crews")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="crew_name_unique")]

    def __str__(self) -> str:
        return self.name


class ServiceGroup(models.Model):
    """A heading residents pick categories under (Graffiti, Streets and Sidewalks…)."""

    objects: ClassVar[MultilingualManager[ServiceGroup]]

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("city"), on_delete=models.CASCADE, related_name="service_groups"
    )
    name = models.CharField(verbose_name=_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(verbose_name=_("position in the list"), default=0)

    class Meta:
        verbose_name = _("service group")
        verbose_name_plural = _("service groups")
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="service_group_unique")]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A request category: the Open311 service, plus the city's policy for it."""

    objects: ClassVar[MultilingualManager[Service]]

    class Type(models.TextChoices):
        REALTIME = "realtime", _("real time")
        BATCH = "batch", _("batch")
        BLACKBOX = "blackbox", _("black box")

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("city"), on_delete=models.CASCADE, related_name="services"
    )
    code = models.CharField(verbose_name=_("code"), max_length=64, help_text=_("Open311 service_code."))
    name = models.CharField(verbose_name=_("name"), max_length=150)
    description = models.TextField(verbose_name=_("description"), blank=True)
    group = models.ForeignKey(
        ServiceGroup, verbose_name=_("group"), null=True, blank=True, on_delete=models.SET_NULL, related_name="services"
    )
    keywords = models.CharField(
        verbose_name=_("search words"),
        max_length=300,
        blank=True,
        help_text=_("Comma-separated words residents might search."),
    )
    type = models.CharField(verbose_name=_("Open311 type"), max_length=10, choices=Type.choices, default=Type.REALTIME)
    default_department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="default_services",
    )
    sla_hours = models.PositiveIntegerField(
        verbose_name=_("hours to resolve"),
        null=True,
        blank=True,
        help_text=_("Business hours allowed to resolve; empty means no promise."),
    )
    closure_needs_photo = models.BooleanField(
        verbose_name=_("needs a photo to close"),
        default=False,
        help_text=_("Resolving as fixed needs a completion photo."),
    )
    anonymous_allowed = models.BooleanField(verbose_name=_("anonymous reports allowed"), default=True)
    is_private = models.BooleanField(
        verbose_name=_("private"), default=False, help_text=_("Hidden from public lists (e.g. sensitive categories).")
    )
    sensitive = models.BooleanField(
        verbose_name=_("sensitive"),
        default=False,
        help_text=_(
            "Published in open data without a description and with its place generalized to a ~150 m cell "
            "(e.g. encampments, domestic noise): the place could point at a person."
        ),
    )
    urgent = models.BooleanField(
        verbose_name=_("urgent"),
        default=False,
        help_text=_(
            "Danger to people is possible (e.g. fire hazards): the report form shows the call-911 notice first."
        ),
    )
    active = models.BooleanField(verbose_name=_("offered"), default=True)
    updated_at = models.DateTimeField(verbose_name=_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "code"], name="service_code_unique")]

    def __str__(self) -> str:
        return self.name


class ServiceAttribute(models.Model):
    """One question of a service definition, with every Open311 datatype."""

    objects: ClassVar[MultilingualManager[ServiceAttribute]]

    class Datatype(models.TextChoices):
        STRING = "string", _("short text")
        NUMBER = "number", _("number")
        DATETIME = "datetime", _("date and time")
        TEXT = "text", _("long text")
        SINGLEVALUELIST = "singlevaluelist", _("one choice from a list")
        MULTIVALUELIST = "multivaluelist", _("several choices from a list")

    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="attributes")
    code = models.CharField(verbose_name=_("code"), max_length=64)
    variable = models.BooleanField(
        verbose_name=_("takes an answer"),
        default=True,
        help_text=_("Leave unticked for an informational note that takes no answer."),
    )
    datatype = models.CharField(
        verbose_name=_("kind of answer"), max_length=16, choices=Datatype.choices, default=Datatype.STRING
    )
    required = models.BooleanField(verbose_name=_("required"), default=False)
    description = models.CharField(
        verbose_name=_("question"), max_length=300, help_text=_("The question as residents read it.")
    )
    datatype_description = models.CharField(verbose_name=_("hint about the answer"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(verbose_name=_("position in the list"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
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

    attribute = models.ForeignKey(
        ServiceAttribute, verbose_name=_("question"), on_delete=models.CASCADE, related_name="values"
    )
    key = models.CharField(verbose_name=_("key"), max_length=64)
    name = models.CharField(verbose_name=_("name"), max_length=150)
    order = models.PositiveSmallIntegerField(verbose_name=_("position in the list"), default=0)

    class Meta:
        verbose_name = _("answer choice")
        verbose_name_plural = _("answer choices")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["attribute", "key"], name="attribute_value_unique")]

    def __str__(self) -> str:
        return self.name


class Zone(models.Model):
    """An area of the city (neighbourhood, district) used for routing, filters and statistics."""

    class Kind(models.TextChoices):
        NEIGHBOURHOOD = "neighbourhood", _("Neighborhood")
        DISTRICT = "district", _("District")
        OTHER = "other", _("Other kind of area")

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("city"), on_delete=models.CASCADE, related_name="zones"
    )
    name = models.CharField(verbose_name=_("name"), max_length=120)
    slug = models.SlugField(verbose_name=_("short name in addresses"), max_length=80)
    kind = models.CharField(verbose_name=_("kind"), max_length=16, choices=Kind.choices, default=Kind.NEIGHBOURHOOD)
    geometry = models.JSONField(
        verbose_name=_("area"), help_text=_("GeoJSON Polygon or MultiPolygon in WGS84 (lon/lat).")
    )
    url = models.URLField(verbose_name=_("web page"), blank=True)
    updated_at = models.DateTimeField(verbose_name=_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
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

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("city"), on_delete=models.CASCADE, related_name="routing_rules"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="routing_rules"
    )
    zone = models.ForeignKey(Zone, verbose_name=_("zone"), on_delete=models.CASCADE, related_name="routing_rules")
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.CASCADE, related_name="routing_rules"
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["service__name", "zone__name"]
        constraints = [models.UniqueConstraint(fields=["service", "zone"], name="routing_rule_unique")]

    def __str__(self) -> str:
        return f"{self.service} in {self.zone} → {self.department}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        for field in ("service", "zone", "department"):
            related = getattr(self, f"{field}_id") and getattr(self, field)
            if related and self.jurisdiction_id and related.jurisdiction_id != self.jurisdiction_id:
                errors[field] = _("Belongs to another city.")
        if errors:
            raise ValidationError(errors)


class ResponseTemplate(models.Model):
    """A reply staff reuse: picked in a public reply or a resolution, then edited as needed.

    With a service it is offered only for that category; without one, for every category of the city.
    """

    objects: ClassVar[MultilingualManager[ResponseTemplate]]

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("city"), on_delete=models.CASCADE, related_name="response_templates"
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="response_templates",
    )
    title = models.CharField(verbose_name=_("title"), max_length=120, help_text=_("What staff pick from the list."))
    text = models.TextField(
        verbose_name=_("text"), help_text=_("The reply residents read. Staff can edit it before sending.")
    )
    active = models.BooleanField(verbose_name=_("offered"), default=True)
    order = models.PositiveSmallIntegerField(verbose_name=_("position in the list"), default=0)

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        service = self.service if self.service_id else None
        if service is not None and self.jurisdiction_id and service.jurisdiction_id != self.jurisdiction_id:
            raise ValidationError({"service": _("Belongs to another city.")})
