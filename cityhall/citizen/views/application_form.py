"""A digital service's form as the resident sees it: each field of the version, its answer and its error.

The page is built from the application's own form version (so a draft keeps its questions when the
form is republished) and judged by the domain (`cityhall.applications.fields`): this module only
reads what was posted and says how each answer reads back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from cityhall.applications.fields import FieldSpec, Kind, in_language, read_back, visible
from cityhall.applications.models import Application
from cityhall.applications.schema import sections_of
from cityhall.applications.services import Upload


@dataclass(frozen=True)
class ChoiceItem:
    key: str
    label: str
    checked: bool


@dataclass(frozen=True)
class FieldItem:
    """One question on the page: what the template needs to render it, its answer and its error."""

    spec: FieldSpec
    label: str
    help: str
    value: Any
    error: str
    choices: tuple[ChoiceItem, ...]
    condition: str  # "Answer only if …" for a field shown on a condition

    @property
    def id(self) -> str:
        return f"field-{self.spec.key}"

    @property
    def described_by(self) -> str:
        """The ids of the words that explain the field, for aria-describedby: condition, help, error."""
        parts = (("condition", self.condition), ("help", self.help), ("error", self.error))
        return " ".join(f"{self.id}-{name}" for name, text in parts if text)

    @property
    def kind(self) -> str:
        return self.spec.kind.value

    @property
    def grouped(self) -> bool:
        """Rendered as a fieldset with a legend (several inputs, or one box to tick)."""
        return self.spec.kind in (Kind.CHOICE, Kind.MULTIPLE_CHOICE, Kind.YES_NO)

    @property
    def text_value(self) -> str:
        if isinstance(self.value, dict):
            return str(self.value.get("text", ""))
        if self.value is None or isinstance(self.value, list | bool):
            return ""
        return str(self.value)

    @property
    def files(self) -> list[dict[str, str]]:
        return self.value if self.spec.kind == Kind.FILE and isinstance(self.value, list) else []

    @property
    def placed(self) -> str:
        return str(self.value.get("label", "")) if isinstance(self.value, dict) else ""

    @property
    def shown(self) -> str:
        return read_back(self.spec, self.value)


@dataclass(frozen=True)
class SectionItem:
    title: str
    help: str
    fields: tuple[FieldItem, ...]


def _choice_items(spec: FieldSpec, value: Any) -> tuple[ChoiceItem, ...]:
    if spec.kind == Kind.YES_NO:
        as_text = {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value
        return (ChoiceItem("yes", _("Yes"), as_text == "yes"), ChoiceItem("no", _("No"), as_text == "no"))
    picked = value if isinstance(value, list) else [value]
    return tuple(ChoiceItem(choice.key, in_language(choice.label), choice.key in picked) for choice in spec.choices)


def _condition(spec: FieldSpec, by_key: dict[str, FieldSpec]) -> str:
    if spec.show_if is None or spec.show_if.field not in by_key:
        return ""
    parent = by_key[spec.show_if.field]
    answer = next((in_language(c.label) for c in parent.choices if c.key == spec.show_if.value), "")
    if parent.kind == Kind.YES_NO:
        answer = _("Yes") if spec.show_if.value == "yes" else _("No")
    return _("Answer only if you answered “%(answer)s” to “%(question)s”.") % {
        "answer": answer,
        "question": in_language(parent.label),
    }


def form_sections(application: Application, values: dict[str, Any], errors: dict[str, str]) -> list[SectionItem]:
    sections = sections_of(application.form_version.schema)
    by_key = {spec.key: spec for section in sections for spec in section.fields}
    return [
        SectionItem(
            title=in_language(section.title),
            help=in_language(section.help),
            fields=tuple(
                FieldItem(
                    spec=spec,
                    label=in_language(spec.label),
                    help=in_language(spec.help),
                    value=values.get(spec.key),
                    error=errors.get(spec.key, ""),
                    choices=_choice_items(spec, values.get(spec.key)),
                    condition=_condition(spec, by_key),
                )
                for spec in section.fields
            ),
        )
        for section in sections
    ]


def answered_sections(application: Application) -> list[SectionItem]:
    """The answers as the review and status pages list them: only the questions that were asked."""
    answers = application.answers
    listed = []
    for section in form_sections(application, answers, {}):
        fields = tuple(item for item in section.fields if visible(item.spec, answers))
        if fields:
            listed.append(SectionItem(section.title, section.help, fields))
    return listed


def posted_answers(request: HttpRequest, application: Application) -> tuple[dict[str, Any], dict[str, list[Upload]]]:
    """What the form sent, by field key: lists for multiple choices, uploads apart."""
    answers: dict[str, Any] = {}
    uploads: dict[str, list[Upload]] = {}
    for section in sections_of(application.form_version.schema):
        for spec in section.fields:
            if spec.kind == Kind.FILE:
                uploads[spec.key] = [Upload(f, f.name or "") for f in request.FILES.getlist(spec.key)]
            elif spec.kind == Kind.MULTIPLE_CHOICE:
                answers[spec.key] = request.POST.getlist(spec.key)
            else:
                answers[spec.key] = request.POST.get(spec.key, "")
    return answers, uploads
