"""Loads Santa Monica's catalogue: boundary, neighbourhoods, departments, the GO request types and policy."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.text import slugify

from cityhall.catalogue.models import (
    AttributeValue,
    Department,
    Jurisdiction,
    Service,
    ServiceAttribute,
    ServiceGroup,
    Zone,
)

DATA = Path(__file__).resolve().parent / "data"
# The GO export has a system value that is not a department.
NOT_A_DEPARTMENT = {"import_no_login"}
NEIGHBOURHOOD_NAMES = {
    "Friends of Sunset Park": "Sunset Park",
    "Santa Monica Mid-City Neighbors": "Mid-City",
    "North of Montana Association": "North of Montana",
    "Wilshire/Montana Neighborhood Coalition": "Wilshire/Montana",
    "Ocean Park Association": "Ocean Park",
    "Pico Neighborhood Association": "Pico",
    "Northeast Neighbors Association": "Northeast",
}


def read_policy() -> dict[str, Any]:
    with (DATA / "santa_monica_policy.toml").open("rb") as handle:
        return tomllib.load(handle)


def read_spanish() -> dict[str, Any]:
    """The catalogue's Spanish: services by code, groups and departments by English name, questions by code."""
    spanish: dict[str, Any] = json.loads((DATA / "santa_monica_catalogue_es.json").read_text())
    return spanish


def _both(english: str, spanish: str | None, field: str = "name") -> dict[str, str | None]:
    """The values of a translated field: English (the fallback) and Spanish, or NULL when there is none."""
    return {field: english, f"{field}_en": english, f"{field}_es": spanish or None}


@transaction.atomic
def load_catalogue() -> Jurisdiction:
    """Create or update the Santa Monica catalogue, in English and Spanish. Safe to run again."""
    # The rows' plain fields are the English ones whatever language the caller has active.
    with translation.override("en"):
        return _load_catalogue()


def _load_catalogue() -> Jurisdiction:
    policy = read_policy()
    spanish = read_spanish()
    info = policy["jurisdiction"]
    boundary = json.loads((DATA / "santa_monica_boundary.geojson").read_text())["features"][0]["geometry"]
    jurisdiction, _ = Jurisdiction.objects.update_or_create(
        jurisdiction_id=info["jurisdiction_id"],
        defaults={
            **_both(info["name"], spanish["jurisdiction"].get(info["name"])),
            **_both(info["short_name"], spanish["jurisdiction"].get(info["short_name"]), "short_name"),
            "name_gender": info["name_gender"],
            "boundary": boundary,
            "timezone": info["timezone"],
            "business_hours": info["business_hours"],
            "holidays": info["holidays"],
            "auto_close_days": info["auto_close_days"],
            "reopen_window_days": info["reopen_window_days"],
            "website": info["website"],
            "contact_phone": info["contact_phone"],
            "contact_address": info["contact_address"],
        },
    )
    _load_zones(jurisdiction)
    categories = json.loads((DATA / "santa_monica_go_categories.json").read_text())["services"]
    departments = _load_departments(jurisdiction, categories, spanish["departments"])
    groups = _load_groups(jurisdiction, categories, spanish["groups"])
    _load_services(jurisdiction, categories, departments, groups, policy, spanish)
    return jurisdiction


def _load_zones(jurisdiction: Jurisdiction) -> None:
    features = json.loads((DATA / "santa_monica_neighborhood_associations_2016.geojson").read_text())["features"]
    for feature in features:
        name = NEIGHBOURHOOD_NAMES.get(feature["properties"]["NEIGHBOR"], feature["properties"]["NEIGHBOR"])
        Zone.objects.update_or_create(
            jurisdiction=jurisdiction,
            slug=slugify(name),
            defaults={"name": name, "geometry": feature["geometry"], "url": feature["properties"].get("URL") or ""},
        )


def _load_departments(
    jurisdiction: Jurisdiction, categories: list[dict[str, Any]], spanish: dict[str, str]
) -> dict[str, Department]:
    names = sorted({c["department"] for c in categories if c["department"]} - NOT_A_DEPARTMENT)
    departments = {}
    for name in names:
        departments[name], _ = Department.objects.update_or_create(
            jurisdiction=jurisdiction, slug=slugify(name), defaults=_both(name, spanish.get(name))
        )
    return departments


def _load_groups(
    jurisdiction: Jurisdiction, categories: list[dict[str, Any]], spanish: dict[str, str]
) -> dict[str, ServiceGroup]:
    # One order for all: the groups read alphabetically in each language (the admin may put some first).
    names = sorted({c["group"] for c in categories if c["group"]})
    return {
        name: ServiceGroup.objects.update_or_create(
            jurisdiction=jurisdiction, name_en=name, defaults={**_both(name, spanish.get(name)), "order": 0}
        )[0]
        for name in names
    }


def _load_services(
    jurisdiction: Jurisdiction,
    categories: list[dict[str, Any]],
    departments: dict[str, Department],
    groups: dict[str, ServiceGroup],
    policy: dict[str, Any],
    spanish: dict[str, Any],
) -> None:
    sla_by_group: dict[str, int] = policy["sla_by_group"]
    sla_by_service: dict[str, int] = policy["sla_by_service"]
    keywords: dict[str, str] = policy["keywords"]
    for category in categories:
        code = category["service_code"]
        group = category["group"]
        words = spanish["services"].get(code, {})
        Service.objects.update_or_create(
            jurisdiction=jurisdiction,
            code=code,
            defaults={
                **_both(category["service_name"], words.get("name")),
                **_both(category["description"] or "", words.get("description"), "description"),
                **_both(keywords.get(code, ""), words.get("keywords"), "keywords"),
                "group": groups.get(group) if group else None,
                "default_department": departments.get(category["department"] or ""),
                "sla_hours": sla_by_service.get(code, sla_by_group.get(group or "")),
                "closure_needs_photo": code in policy["closure_needs_photo"],
                "anonymous_allowed": code not in policy["not_anonymous"],
                "is_private": code in policy["private"],
                "sensitive": code in policy["sensitive"],
                "urgent": code in policy["urgent"],
                # Topics no longer on the 2017 menu stay for history but take no new requests.
                "active": bool(category.get("offered_in_2017_topic_list")),
            },
        )
    services = {s.code: s for s in Service.objects.filter(jurisdiction=jurisdiction)}
    for order, spec in enumerate(policy["attributes"]):
        question = spanish["attributes"].get(spec["code"], {})
        for service_code in spec["services"]:
            attribute, _ = ServiceAttribute.objects.update_or_create(
                service=services[service_code],
                code=spec["code"],
                defaults={
                    "datatype": spec["datatype"],
                    "required": spec["required"],
                    **_both(spec["description"], question.get("description"), "description"),
                    "order": order,
                },
            )
            for value_order, (key, name) in enumerate(spec.get("values", [])):
                AttributeValue.objects.update_or_create(
                    attribute=attribute,
                    key=key,
                    defaults={**_both(name, question.get("values", {}).get(key)), "order": value_order},
                )
