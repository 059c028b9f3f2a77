"""Finding catalogue rows by the codes clients send, with errors that name the field; and the site's city.

Code outside the catalogue finds jurisdictions here, never through `Jurisdiction.objects`
(`make lint` checks): "which city?" has one answer per web request, `site_city()`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation

from cityhall.core.errors import NotFound, ValidationFailed
from cityhall.core.ttl_cache import TtlCache

from .models import Department, Jurisdiction, Service, Zone

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
        raise NotFound(f"There is no category “{code}” in {jurisdiction.name}.", field="service_code")
    return service


def catalogue_labels(jurisdiction_pk: int) -> CatalogueLabels:
    """Codes and names of a jurisdiction's services and departments, kept a few seconds per process."""
    # The names are in the active language: one entry per language.
    return _labels.get((jurisdiction_pk, translation.get_language()), lambda: _load_labels(jurisdiction_pk))


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


def is_city_logo(name: str) -> bool:
    """Whether a stored file is a jurisdiction's logo: the one kind of file under media/city/ served to anyone."""
    return bool(name) and Jurisdiction.objects.filter(logo=name).exists()
