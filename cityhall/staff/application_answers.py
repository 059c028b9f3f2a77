"""An application's answers as approvers read them: by section, as its form version says, in the reader's language.

Only the questions that were asked (a field hidden by its condition was neither asked nor kept); files
are listed for links through the staff door (`applications.access.file_for_staff`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from cityhall.applications.fields import FieldSpec, Kind, in_language, read_back, visible
from cityhall.applications.models import Application
from cityhall.applications.schema import sections_of


@dataclass(frozen=True)
class Answer:
    label: str
    text: str  # the answer as a person reads it ("" for files: see `files`)
    files: tuple[dict[str, str], ...]  # {id, name, sha256}


@dataclass(frozen=True)
class AnsweredSection:
    title: str
    answers: tuple[Answer, ...]


def answered_sections(application: Application) -> list[AnsweredSection]:
    answers = application.answers or {}
    listed = []
    for section in sections_of(application.form_version.schema):
        shown = tuple(_answer(spec, answers.get(spec.key)) for spec in section.fields if visible(spec, answers))
        if shown:
            listed.append(AnsweredSection(in_language(section.title), shown))
    return listed


def _answer(spec: FieldSpec, value: Any) -> Answer:
    if spec.kind == Kind.FILE:
        files = tuple(item for item in value if isinstance(item, dict)) if isinstance(value, list) else ()
        return Answer(in_language(spec.label), "" if files else _("Not answered"), files)
    return Answer(in_language(spec.label), read_back(spec, value), ())
