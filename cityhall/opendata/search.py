"""Finding datasets by the words people type, in either language, ignoring case and accents."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import translation

from cityhall.catalogue.search import fold

from .registry import Dataset


def search_text(dataset: Dataset) -> str:
    """Every word a dataset is found by, folded: title, description, keywords and columns, in every language."""
    parts: list[str] = [dataset.id, dataset.slug]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            parts += [str(dataset.title), str(dataset.description), *map(str, dataset.keywords)]
            parts += [f"{column.name} {column.label}" for column in dataset.columns]
    return fold(" ".join(parts))


def matching_datasets(found: Iterable[Dataset], *, words: str = "", keyword: str = "") -> list[Dataset]:
    """Those with every word (or the start of one) and, if asked, this keyword (in the page's language)."""
    wanted = fold(words).split()
    return [
        entry
        for entry in found
        if all(word in search_text(entry) for word in wanted)
        and (not keyword or fold(keyword) in {fold(str(word)) for word in entry.keywords})
    ]
