"""A form version's schema: written once from the admin's rows when a form is published, then only read.

The schema is plain JSON, every text in every language:

    {"sections": [{"title": {"en": …, "es": …}, "help": {…},
                   "fields": [{"key", "kind", "label", "help", "required", "choices": [{"key", "label"}],
                               "min", "max", "show_if": {"field", "value"} | null}]}],
     "workflow": [{"stage", "name": {…}, "instructions": {…}, "department": id, "role", "sla_business_days"}]}

A version without "workflow" (published before the approval steps existed) has no steps.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from .fields import FieldSpec, Kind, Words
from .models import DigitalService, FormField, FormSection, StepRole, WorkflowStep

LANGUAGES = [code for code, _name in settings.LANGUAGES]
CHOICE_KINDS = {Kind.CHOICE, Kind.MULTIPLE_CHOICE}


class SchemaInvalid(ValueError):
    """The working form cannot be published as it is; the message says which field and why (for the admin)."""


@dataclass(frozen=True)
class Section:
    title: Words
    help: Words
    fields: tuple[FieldSpec, ...]


def _words(row: Any, name: str) -> Words:
    return {code: text for code in LANGUAGES if (text := (getattr(row, f"{name}_{code}", "") or "").strip())}


def _choices(row: FormField) -> list[dict[str, Any]]:
    labels: dict[str, Words] = {}
    for code in LANGUAGES:
        for line in (getattr(row, f"choices_{code}", "") or "").splitlines():
            if not line.strip():
                continue
            key, bar, label = line.partition("|")
            if not bar or not key.strip() or not label.strip():
                raise SchemaInvalid(f"{row.key}: write each choice as “key | label” ({line.strip()!r}).")
            if code != "en" and key.strip() not in labels:
                raise SchemaInvalid(f"{row.key}: the {code} choice {key.strip()!r} is not an English choice.")
            labels.setdefault(key.strip(), {})[code] = label.strip()
    return [{"key": key, "label": words} for key, words in labels.items()]


def _field(row: FormField, earlier: dict[str, Kind]) -> dict[str, Any]:
    kind = Kind(row.kind)
    if row.key in earlier:
        raise SchemaInvalid(f"{row.key}: two fields have this key.")
    choices = _choices(row) if kind in CHOICE_KINDS else []
    if kind in CHOICE_KINDS and not choices:
        raise SchemaInvalid(f"{row.key}: a choice field needs its choices.")
    show_if = None
    if row.show_if_field:
        if row.show_if_field not in earlier:
            raise SchemaInvalid(f"{row.key}: “show if” must name an earlier field ({row.show_if_field!r}).")
        if not row.show_if_value:
            raise SchemaInvalid(f"{row.key}: “show if” needs the answer that shows it.")
        show_if = {"field": row.show_if_field, "value": row.show_if_value}
    return {
        "key": row.key,
        "kind": kind.value,
        "label": _words(row, "label"),
        "help": _words(row, "help_text"),
        "required": row.required,
        "choices": choices,
        "min": row.minimum,
        "max": row.maximum,
        "show_if": show_if,
    }


def snapshot(service: DigitalService) -> dict[str, Any]:
    """The working form of a service as a schema to publish; raises SchemaInvalid when it is not coherent."""
    earlier: dict[str, Kind] = {}
    sections = []
    section_rows: Iterable[FormSection] = service.sections.prefetch_related("fields")
    for section in section_rows:
        fields = []
        for row in section.fields.all():
            fields.append(_field(row, earlier))
            earlier[row.key] = Kind(row.kind)
        sections.append({"title": _words(section, "title"), "help": _words(section, "help_text"), "fields": fields})
    if not earlier:
        raise SchemaInvalid("The form has no fields.")
    return {"sections": sections, "workflow": [_step(row) for row in service.steps.all()]}


def _step(row: WorkflowStep) -> dict[str, Any]:
    if row.role not in StepRole.values:
        raise SchemaInvalid(f"{row.name}: a step is decided by department staff or by supervisors only.")
    if not _words(row, "name"):
        raise SchemaInvalid("Every approval step needs a name.")
    return {
        "stage": row.stage,
        "name": _words(row, "name"),
        "instructions": _words(row, "instructions"),
        "department": row.department_id,
        "role": row.role,
        "sla_business_days": row.sla_business_days,
    }


@dataclass(frozen=True)
class StepSpec:
    """A published approval step, as a version's schema keeps it (in stage order)."""

    stage: int
    name: Words
    instructions: Words
    department_id: int
    role: str
    sla_business_days: int


def steps_of(schema: dict[str, Any]) -> list[StepSpec]:
    steps = [
        StepSpec(
            stage=int(step["stage"]),
            name=step.get("name") or {},
            instructions=step.get("instructions") or {},
            department_id=int(step["department"]),
            role=step["role"],
            sla_business_days=int(step["sla_business_days"]),
        )
        for step in schema.get("workflow") or []
    ]
    return sorted(steps, key=lambda step: step.stage)  # stable: the admin's order within a stage stays


def sections_of(schema: dict[str, Any]) -> list[Section]:
    return [
        Section(
            title=section.get("title") or {},
            help=section.get("help") or {},
            fields=tuple(FieldSpec.from_schema(field) for field in section.get("fields", [])),
        )
        for section in schema.get("sections", [])
    ]


def specs_of(schema: dict[str, Any]) -> list[FieldSpec]:
    return [spec for section in sections_of(schema) for spec in section.fields]
