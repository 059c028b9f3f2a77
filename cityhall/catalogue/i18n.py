"""Reading catalogue text per language where a query, not a catalogue row, carries it.

`request.service.name` is in the active language by itself (cityhall/catalogue/translation.py), but a
query that starts from another model (`values("service__name")`, `.only("service__name")`) reads
the plain column, which is English. These give such queries the active language's column instead.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import CharField, F, Field, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation


def language_code(language: str | None = None) -> str:
    """One of settings.LANGUAGES: the one asked (or active), by its base language; else the default."""
    wanted = (language or translation.get_language() or "").lower()
    codes = [code for code, _ in settings.LANGUAGES]
    for candidate in (wanted, wanted.split("-")[0]):
        if candidate in codes:
            return candidate
    return str(settings.LANGUAGE_CODE)


def in_language(path: str, language: str | None = None, output_field: Field[Any, Any] | None = None) -> Coalesce:
    """The translated column at `path` (e.g. "service__name") in the language, English where empty."""
    default = settings.LANGUAGE_CODE
    text = output_field or CharField()
    asked = NullIf(F(f"{path}_{language_code(language)}"), Value("", output_field=text))
    return Coalesce(asked, F(f"{path}_{default}"), F(path), output_field=text)


def all_languages(path: str) -> list[str]:
    """The column at `path` and its translations, for `.only()`: reading the name then needs no query."""
    return [path, *(f"{path}_{code}" for code, _ in settings.LANGUAGES)]


def every_translation(row: object, field: str) -> list[str]:
    """A translated field's text in every language that has one (English first), e.g. to match by name."""
    texts = [getattr(row, f"{field}_{code}", None) or "" for code, _ in settings.LANGUAGES]
    return [text for text in texts if text] or [getattr(row, field) or ""]
