"""Answers to a service's questions, validated against its definition by Open311 datatype."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime

from django.utils.dateparse import parse_datetime

from cityhall.catalogue.models import Service, ServiceAttribute

from .bounds import MAX_SHORT_TEXT, MAX_TEXT

Raw = str | Sequence[str]
Datatype = ServiceAttribute.Datatype


def validate_attributes(service: Service, raw: Mapping[str, Raw]) -> tuple[dict[str, object], dict[str, str]]:
    """(clean answers, errors by field name `attribute[CODE]`). Unknown codes are errors, not ignored."""
    definitions = {a.code: a for a in service.attributes.all() if a.variable}
    values_by_code = {a.code: {v.key for v in a.values.all()} for a in definitions.values() if a.is_list}
    clean: dict[str, object] = {}
    errors: dict[str, str] = {}
    for code in raw:
        if code not in definitions:
            errors[f"attribute[{code}]"] = f"“{code}” is not a question of {service.name}."
    for code, attribute in definitions.items():
        field = f"attribute[{code}]"
        given = raw.get(code)
        items = [given] if isinstance(given, str) else [v for v in (given or [])]
        items = [item.strip() for item in items if isinstance(item, str) and item.strip()]
        if not items:
            if attribute.required:
                errors[field] = f"Please answer: {attribute.description}"
            continue
        try:
            clean[code] = _parse(attribute, items, values_by_code.get(code, set()))
        except ValueError as exc:
            errors[field] = f"{attribute.description}: {exc}"
    return clean, errors


def _parse(attribute: ServiceAttribute, items: list[str], keys: set[str]) -> object:
    if attribute.datatype == Datatype.MULTIVALUELIST:
        unknown = [item for item in items if item not in keys]
        if unknown:
            raise ValueError(f"“{unknown[0]}” is not one of the choices.")
        return list(dict.fromkeys(items))
    if len(items) > 1:
        raise ValueError("only one answer is allowed.")
    value = items[0]
    if attribute.datatype == Datatype.SINGLEVALUELIST:
        if value not in keys:
            raise ValueError(f"“{value}” is not one of the choices.")
        return value
    if attribute.datatype == Datatype.NUMBER:
        try:
            number = float(value)
        except ValueError:
            raise ValueError("expected a number.") from None
        if not math.isfinite(number):
            raise ValueError("expected a finite number.")
        return int(number) if number.is_integer() and "." not in value else number
    if attribute.datatype == Datatype.DATETIME:
        parsed: datetime | None = parse_datetime(value.replace(" ", "T", 1) if "T" not in value else value)
        if parsed is None:
            raise ValueError("expected a date and time like 2026-11-22T09:30:00-08:00.")
        return parsed.isoformat()
    limit = MAX_SHORT_TEXT if attribute.datatype == Datatype.STRING else MAX_TEXT
    if len(value) > limit:
        raise ValueError(f"at most {limit} characters.")
    return value
