"""Every Spanish word one of our catalogues gives is the word the pages show.

Django merges all the catalogues it loads into one, and the first to have a word wins: the root
locale/, then the installed apps in INSTALLED_APPS order (the admin's and auth's before ours,
allauth's after), then Django's own. So when two catalogues translate the same English (in the same
context) differently, one of them is never read, and a page shows another app's Spanish: the admin's
"Filtro" on the staff's "Filtrar" button, its "Inicio" for a saved place called "Casa". This asks
Django for each of our words in Spanish, as a template or view does, and compares it with what the
word's own catalogue says. The cure is a context where the meaning differs, or the one wording in
the root catalogue where ours should win everywhere.
"""

from __future__ import annotations

import gettext
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.utils import translation

CONTEXT = "\x04"  # how a .mo file joins msgctxt and msgid in its keys
PLURAL_SAMPLES = (1, 2, 1_000_000)  # one of each of Spanish's three plural forms


def _catalogues() -> list[tuple[str, Path]]:
    """Every Spanish catalogue the site loads, the one whose word wins first."""
    roots = [("locale/", Path(path)) for path in settings.LOCALE_PATHS]
    roots += [(app.name, Path(app.path) / "locale") for app in apps.get_app_configs()]
    roots.append(("django", Path(django.__file__).parent / "conf" / "locale"))
    found = [(name, root / "es" / "LC_MESSAGES" / "django.mo") for name, root in roots]
    return [(name, path) for name, path in found if path.exists()]


def _ours(name: str) -> bool:
    return name == "locale/" or name.startswith("cityhall.")


def _load(path: Path) -> gettext.GNUTranslations:
    with path.open("rb") as file:
        return gettext.GNUTranslations(file)


def _read(catalogue: gettext.GNUTranslations | None, key: str, count: int | None) -> str:
    """The word as `catalogue` alone gives it, or as the site does when `catalogue` is None."""
    context, _, msgid = key.rpartition(CONTEXT)
    if count is None:
        if catalogue is None:
            return translation.pgettext(context, msgid) if context else translation.gettext(msgid)
        return catalogue.pgettext(context, msgid) if context else catalogue.gettext(msgid)
    if catalogue is None:
        if context:
            return translation.npgettext(context, msgid, msgid, count)
        return translation.ngettext(msgid, msgid, count)
    return catalogue.npgettext(context, msgid, msgid, count) if context else catalogue.ngettext(msgid, msgid, count)


def _words(catalogue: gettext.GNUTranslations) -> set[tuple[str, int | None]]:
    """Each translated (key, plural sample) of the catalogue: a plural is read once per form."""
    words: set[tuple[str, int | None]] = set()
    for key, text in catalogue._catalog.items():  # type: ignore[attr-defined]
        if not text:
            continue
        if isinstance(key, tuple):
            words |= {(key[0], count) for count in PLURAL_SAMPLES}
        elif key:
            words.add((key, None))
    return words


def _clashes() -> list[str]:
    loaded = [(name, _load(path)) for name, path in _catalogues()]
    clashes = []
    with translation.override("es"):
        for name, catalogue in loaded:
            if not _ours(name):
                continue
            for key, count in sorted(_words(catalogue), key=str):
                meant, shown = _read(catalogue, key, count), _read(None, key, count)
                if meant != shown:
                    winner = next((other for other, each in loaded if _read(each, key, count) == shown), "?")
                    context, _, msgid = key.rpartition(CONTEXT)
                    word = f"({context or None!r}, {msgid!r}{'' if count is None else f', n={count}'})"
                    clashes.append(f"{word}: {name} says {meant!r}, pages show {winner}'s {shown!r}")
    return clashes


def test_the_site_loads_our_catalogues_and_the_ones_they_compete_with():
    names = {name for name, _ in _catalogues()}

    assert {"locale/", "cityhall.citizen", "cityhall.staff", "django.contrib.admin", "allauth", "django"} <= names


def test_no_other_catalogue_overrides_a_word_of_ours():
    clashes = _clashes()

    assert not clashes, "Spanish overridden in the merged catalogue:\n" + "\n".join(clashes)
