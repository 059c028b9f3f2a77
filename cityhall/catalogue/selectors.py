"""The catalogue's reads: rows found by the codes clients send (errors name the field), the site's city,
and every list of services, departments, crews, zones and reply templates other code shows or checks.

Code outside the catalogue reads its rows here, never through a model manager such as
`Service.objects` (`make lint` checks): "which city?" has one answer per web request, `site_city()`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Q, QuerySet, TextField
from django.utils import translation

from cityhall.core import city_names
from cityhall.core.errors import NotFound, ValidationFailed
from cityhall.core.ttl_cache import TtlCache

from .i18n import in_language
from .models import (
    Crew,
    Department,
    Jurisdiction,
    ResponseTemplate,
    RoutingRule,
    Service,
    ServiceAttribute,
    ServiceGroup,
    Zone,
)

_jurisdictions: TtlCache[Jurisdiction] = TtlCache(seconds=10)
_services: TtlCache[Service | None] = TtlCache(seconds=10)


@dataclass(frozen=True)
class CatalogueLabels:
    """What a public list shows of the catalogue, so its query needs no join to it."""

    service_ids: dict[str, int]  # Open311 code → id, public services only
    services: dict[int, tuple[str, str]]  # id → (code, name), public services only
    private_service_ids: tuple[int, ...]
    departments: dict[int, str]  # id → name


_labels: TtlCache[CatalogueLabels] = TtlCache(seconds=10)
_site_city: TtlCache[Jurisdiction | None] = TtlCache(seconds=10)


def site_city() -> Jurisdiction | None:
    """The city the web pages speak for (name, logo, contacts, time zone, where reports and places may be).

    The one answer to "which city?" for a web request: the jurisdiction named by the setting
    `CITYHALL_SITE_CITY` (its Open311 jurisdiction_id), else the deployment's first jurisdiction. So a
    second city is a new row, and a site serving it sets the variable; None when there is no such row.
    Open311 never uses this: a call names its jurisdiction, or there must be only one (`jurisdiction_for`).

    Every page shows it in its header and footer, so it is remembered for a few seconds per process;
    the boundary is not loaded. The row is shared by the threads of a process: read it, never change it.
    """
    chosen: str = settings.CITYHALL_SITE_CITY
    return _site_city.get(chosen, lambda: _load_site_city(chosen))


# The software's own name: only "Powered by …" shows it; no page or message speaks as it (core/city_names.py).
PRODUCT_NAME = "CityHall"


def city_name(city: Jurisdiction | None) -> str:
    """The name a page or a message speaks as, alone (a heading, a title, a sender), in the active language."""
    return city_names.alone(city.name if city is not None else None)


def city_short_name(city: Jurisdiction | None) -> str:
    """The label under the app's icon on a home screen: the city's short name, else its name alone."""
    return (city.short_name if city is not None else "") or city_name(city)


def city_in_sentence(city: Jurisdiction | None) -> str:
    """The city as a sentence names it, with its article: "the City of Santa Monica", else "the city"."""
    return city_sentence_forms(city)["the_city"]


def city_sentence_forms(city: Jurisdiction | None) -> dict[str, str]:
    """Every way a sentence names the city (the_city, of_the_city, from_the_city, to_the_city), in the
    active language, its article agreeing with the name (core/city_names.py)."""
    if city is None:
        return city_names.sentence_forms(None)
    return city_names.sentence_forms(city.name, city.name_gender)


def city_in_message(city: Jurisdiction) -> str:
    """The city as an English message names it mid-sentence ("the City of Santa Monica"), whatever the active
    language: the errors of the APIs and the commands are English (requests/problems.py)."""
    with translation.override("en"):
        return city_in_sentence(city)


def site_name() -> str:
    """The site's city's name, as the header of every page shows it."""
    return city_name(site_city())


def _load_site_city(jurisdiction_id: str) -> Jurisdiction | None:
    rows = Jurisdiction.objects.defer("boundary")
    if jurisdiction_id:
        return rows.filter(jurisdiction_id=jurisdiction_id).first()
    return rows.order_by("pk").first()


def jurisdiction_named(jurisdiction_id: str) -> Jurisdiction | None:
    """The jurisdiction with this Open311 jurisdiction_id (boundary included), or None: for commands."""
    return Jurisdiction.objects.filter(jurisdiction_id=jurisdiction_id).first()


def jurisdiction_ids() -> list[str]:
    """The Open311 jurisdiction_ids of the deployment, oldest first: what a command lists when given a wrong one."""
    return list(jurisdictions().values_list("jurisdiction_id", flat=True))


def cached_jurisdiction_for(jurisdiction_id: str | None) -> Jurisdiction:
    """jurisdiction_for, remembered for a few seconds per process: the hot API paths ask on every request."""
    return _jurisdictions.get(jurisdiction_id or "", lambda: jurisdiction_for(jurisdiction_id))


def jurisdiction_for(jurisdiction_id: str | None) -> Jurisdiction:
    """The jurisdiction named by an Open311 jurisdiction_id; it may be left out when there is only one.

    The boundary (a large GeoJSON document) is not loaded: callers that need it read it through geo.
    """
    rows = Jurisdiction.objects.defer("boundary")
    if jurisdiction_id:
        found = rows.filter(jurisdiction_id=jurisdiction_id).first()
        if found is None:
            raise NotFound(f"There is no jurisdiction “{jurisdiction_id}”.", field="jurisdiction_id")
        return found
    only = list(rows.all()[:2])
    if len(only) != 1:
        raise ValidationFailed({"jurisdiction_id": "This server serves several jurisdictions: say which one."})
    return only[0]


def service_for(jurisdiction: Jurisdiction, code: str | None, *, include_private: bool = True) -> Service:
    """The service with this Open311 code. Unknown (or private, when asked so) raises NotFound naming service_code."""
    if not code:
        raise ValidationFailed({"service_code": "Choose a category (service_code is required)."})
    service = _services.get((jurisdiction.pk, code), lambda: _load_service(jurisdiction, code))
    if service is None or (service.is_private and not include_private):
        raise no_such_category(jurisdiction, code)
    return service


def no_such_category(jurisdiction: Jurisdiction, code: str) -> NotFound:
    """The error for a category code the city does not offer (or not to this caller)."""
    return NotFound(f"There is no category “{code}” in {city_in_message(jurisdiction)}.", field="service_code")


def catalogue_labels(jurisdiction_pk: int) -> CatalogueLabels:
    """Codes and names of a jurisdiction's services and departments, kept a few seconds per process."""
    # The names are in the active language: one entry per language.
    return _labels.get((jurisdiction_pk, translation.get_language()), lambda: _load_labels(jurisdiction_pk))


_department_names: TtlCache[dict[str, int]] = TtlCache(seconds=10)


def department_name_as_read(jurisdiction_pk: int, written: str) -> str:
    """A department's name written into an event (in the language of whoever acted), in the reader's.

    Events keep the name they were written with, so a name unknown today (a department since renamed)
    is shown as written.
    """
    named = _department_names.get(jurisdiction_pk, lambda: _load_department_names(jurisdiction_pk))
    pk = named.get(written)
    return catalogue_labels(jurisdiction_pk).departments.get(pk, written) if pk is not None else written


def _load_department_names(jurisdiction_pk: int) -> dict[str, int]:
    """Each name a department has in any language (and the name field itself) → the department."""
    fields = ["name", *(f"name_{code}" for code, _ in settings.LANGUAGES)]
    rows = Department.objects.filter(jurisdiction_id=jurisdiction_pk).values_list("pk", *fields)
    return {name: pk for pk, *names in rows for name in names if name}


def _load_labels(jurisdiction_pk: int) -> CatalogueLabels:
    rows = Service.objects.filter(jurisdiction_id=jurisdiction_pk).values_list("pk", "code", "name", "is_private")
    public = {pk: (code, name) for pk, code, name, private in rows if not private}
    return CatalogueLabels(
        service_ids={code: pk for pk, (code, _) in public.items()},
        services=public,
        private_service_ids=tuple(pk for pk, _, _, private in rows if private),
        departments=dict(Department.objects.filter(jurisdiction_id=jurisdiction_pk).values_list("pk", "name")),
    )


def _load_service(jurisdiction: Jurisdiction, code: str) -> Service | None:
    """The service with all a submission reads: its questions and their choices, its default department.

    The row is shared by the threads of a process for a few seconds: callers read it, never change it.
    """
    return (
        Service.objects.filter(jurisdiction=jurisdiction, code=code)
        .select_related("jurisdiction", "group", "default_department")
        .prefetch_related("attributes__values")
        .first()
    )


# --- Reads for notifications ---


def jurisdictions() -> QuerySet[Jurisdiction]:
    """Every city this deployment serves, oldest first, for commands and periodic work (boundaries load on use)."""
    return Jurisdiction.objects.defer("boundary").order_by("pk")


def department_ids(jurisdiction: Jurisdiction) -> list[int]:
    """The ids of a city's departments (each has a queue)."""
    return list(Department.objects.filter(jurisdiction=jurisdiction).order_by("pk").values_list("pk", flat=True))


def sla_hours_by_service(jurisdiction: Jurisdiction) -> dict[int, int]:
    """The time allowed, in business hours, of each of a city's categories that has one (service id → hours)."""
    rows = Service.objects.filter(jurisdiction=jurisdiction, sla_hours__gt=0).values_list("pk", "sla_hours")
    return {pk: hours for pk, hours in rows if hours}


def public_services_with_codes(codes: Sequence[str]) -> tuple[Service, ...]:
    """The public categories with these codes (a private category's code finds nothing)."""
    return tuple(Service.objects.filter(code__in=list(codes), is_private=False))


def public_active_services() -> QuerySet[Service]:
    """The categories a resident may choose from, by name."""
    return Service.objects.filter(active=True, is_private=False).order_by("name")


def zones_by_name() -> QuerySet[Zone]:
    """Every neighborhood, by name."""
    return Zone.objects.order_by("name")


def zone_or_none(zone_id: int) -> Zone | None:
    return Zone.objects.filter(pk=zone_id).first()


def department_or_none(department_id: int) -> Department | None:
    return Department.objects.filter(pk=department_id).first()


# --- Services ---


def services_changed_at() -> datetime | None:
    """When a category was last changed, anywhere in the deployment (Open311's discovery changeset)."""
    return Service.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()


def active_services_of(jurisdiction_id: int) -> QuerySet[Service]:
    """A city's active categories, public or private, with their groups: what staff may file a request under."""
    return Service.objects.filter(jurisdiction_id=jurisdiction_id, active=True).select_related("group")


def public_services_of(jurisdiction: Jurisdiction | None) -> QuerySet[Service]:
    """A city's public categories, active or not, by name: what the public list filters by."""
    return Service.objects.filter(jurisdiction=jurisdiction, is_private=False).order_by("name")


def reportable_services(jurisdiction: Jurisdiction | None) -> QuerySet[Service]:
    """Categories a resident may report in: public and active, of this city, by name, with city and group."""
    # The city is fetched once and shared by every category: joined, its boundary's GeoJSON was decoded
    # again for each of a big city's 180 categories, most of the category page's time.
    return (
        Service.objects.filter(jurisdiction=jurisdiction, is_private=False, active=True)
        .select_related("group")
        .prefetch_related("jurisdiction")
        .order_by("name")
    )


def listed_services(jurisdiction: Jurisdiction) -> QuerySet[Service]:
    """Open311's service list: a city's public active categories by name, with their group and question count."""
    listed = Service.objects.filter(jurisdiction=jurisdiction, active=True, is_private=False)
    return listed.select_related("group").annotate(attribute_count=Count("attributes")).order_by("name")


def active_services() -> QuerySet[Service]:
    """Every active category of the deployment (the dashboards' filter offers them)."""
    return Service.objects.filter(active=True)


def public_services() -> QuerySet[Service]:
    """Every public category of the deployment, active or not."""
    return Service.objects.filter(is_private=False)


def services_of(jurisdiction: Jurisdiction) -> QuerySet[Service]:
    """Every category of a city (the importer matches rows against them)."""
    return Service.objects.filter(jurisdiction=jurisdiction)


def services_in_group(group: ServiceGroup) -> QuerySet[Service]:
    """The categories under a group's heading."""
    return Service.objects.filter(group=group)


def service_or_none(service_id: int) -> Service | None:
    return Service.objects.filter(pk=service_id).first()


def service_with_code(code: str | None) -> Service | None:
    """The first category with this Open311 code, in any city (the dashboards' filter names it so)."""
    return Service.objects.filter(code=code).first()


def service_with_questions(service_id: int) -> Service:
    """A category with its questions and their choices loaded (Service.DoesNotExist if it is gone)."""
    return Service.objects.prefetch_related("attributes__values").get(pk=service_id)


def questions_of(service: Service) -> QuerySet[ServiceAttribute]:
    """A category's questions, in order, with their choices."""
    return ServiceAttribute.objects.filter(service=service).prefetch_related("values")


def default_departments_of(service_ids: Iterable[int]) -> dict[int, int | None]:
    """Each of these categories' own department (service id → department id or None), in one query."""
    return dict(Service.objects.filter(pk__in=list(service_ids)).values_list("pk", "default_department_id"))


def default_departments_in(jurisdiction: Jurisdiction) -> dict[int, int | None]:
    """Each of a city's categories' own department (service id → department id or None), in one query."""
    return dict(Service.objects.filter(jurisdiction=jurisdiction).values_list("pk", "default_department"))


def routing_table(jurisdiction: Jurisdiction) -> dict[tuple[int, int | None], int]:
    """A city's routing rules: (service id, zone id or None) → the department id that gets the request."""
    rules = RoutingRule.objects.filter(jurisdiction=jurisdiction).values_list("service", "zone", "department")
    return {(service, zone): department for service, zone, department in rules}


def service_groups() -> QuerySet[ServiceGroup]:
    """Every heading categories are grouped under."""
    return ServiceGroup.objects.all()


def service_group_or_none(group_id: int | None) -> ServiceGroup | None:
    return ServiceGroup.objects.filter(pk=group_id).first() if group_id is not None else None


def response_templates_for(service: Service, language: str = "") -> QuerySet[ResponseTemplate]:
    """The city's active reply templates for this category, and those for every category.

    Staff pick them by title in their own language; `reply_text` is the text in the language of the
    request (the one its reporter wrote in and reads), English where that translation is empty.
    """
    return (
        ResponseTemplate.objects.filter(jurisdiction_id=service.jurisdiction_id, active=True)
        .filter(Q(service__isnull=True) | Q(service=service))
        .annotate(reply_text=in_language("text", language or settings.LANGUAGE_CODE, TextField()))
    )


# --- Departments and crews ---


def departments() -> QuerySet[Department]:
    """Every department of the deployment, by name."""
    return Department.objects.all()


def departments_of(jurisdiction_id: int) -> QuerySet[Department]:
    """A city's departments, by name."""
    return Department.objects.filter(jurisdiction_id=jurisdiction_id)


def department_with_slug(slug: str | None) -> Department | None:
    """The first department with this slug, in any city (the dashboards' filter names it so)."""
    return Department.objects.filter(slug=slug).first()


def assignable_crews(department_id: int | None) -> QuerySet[Crew]:
    """A department's active crews, by name: those its requests may be assigned to."""
    if department_id is None:
        return Crew.objects.none()
    return Crew.objects.filter(department_id=department_id, active=True).order_by("name")


def active_crew_ids_of(user_id: int) -> frozenset[int]:
    """The active crews a person belongs to."""
    return frozenset(Crew.objects.filter(members=user_id, active=True).values_list("pk", flat=True))


def crew_has_member(crew: Crew, user_id: int) -> bool:
    return crew.members.filter(pk=user_id).exists()


def crew_names(crew_ids: Iterable[int]) -> dict[int, str]:
    """Crew id → name, for these crews."""
    return dict(Crew.objects.filter(pk__in=list(crew_ids)).values_list("pk", "name"))


# --- Zones ---


def zones_of(jurisdiction_id: int | None) -> QuerySet[Zone]:
    """A city's neighborhoods, by name (none without a city)."""
    if jurisdiction_id is None:
        return Zone.objects.none()
    return Zone.objects.filter(jurisdiction_id=jurisdiction_id).order_by("name")


def zones() -> QuerySet[Zone]:
    """Every neighborhood of the deployment, by name."""
    return Zone.objects.all()


def zone_with_slug(slug: str | None) -> Zone | None:
    """The first neighborhood with this slug, in any city (the dashboards' filter names it so)."""
    return Zone.objects.filter(slug=slug).first()


def zone_names(zone_ids: Iterable[int]) -> dict[int, str]:
    """Zone id → name, for these zones."""
    return dict(Zone.objects.filter(pk__in=list(zone_ids)).values_list("pk", "name"))


def is_city_logo(name: str) -> bool:
    """Whether a stored file is a jurisdiction's logo: the one kind of file under media/city/ served to anyone."""
    return bool(name) and Jurisdiction.objects.filter(logo=name).exists()
