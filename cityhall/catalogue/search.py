"""Finding a category by the words a resident types, in any of the site's languages.

A category is found by its name, its keywords (synonyms, kept per language in the catalogue) and its
group's name, in English and in every translation, so "bache", "pothole" and "BACHÉ" all find Potholes
whatever language the page is in. Case and accents do not matter.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from .i18n import every_translation
from .models import Service


def fold(text: str) -> str:
    """Lower case without accents: "Baché" → "bache". The browser's report.js folds the same way."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def search_text(service: Service) -> str:
    """Every word a category can be found by, folded: names, keywords and group names in all languages."""
    parts = every_translation(service, "name") + every_translation(service, "keywords")
    if service.group is not None:
        parts += every_translation(service.group, "name")
    return fold(" ".join(part.replace(",", " ") for part in parts))


def matching(services: Iterable[Service], query: str) -> list[Service]:
    """The categories whose words contain every word of the query (each may be the start of a word)."""
    words = fold(query).split()
    if not words:
        return []
    return [service for service in services if all(word in search_text(service) for word in words)]
