"""How the site names its city, alone or inside a sentence, and what it says while no city is set up.

A heading, a page title or an email's sender shows the name alone ("City of Santa Monica"); a sentence
names it with its article ("the City of Santa Monica", "la Ciudad de Santa Mónica"). The article belongs
to the language and agrees with the name's grammatical gender ("la Ciudad", "el Condado"), and in Spanish
it fuses with the preposition before it ("del Condado", "al Condado"). So the phrases are translated here,
once, per gender, each with the preposition it may fuse with; a sentence takes the one it needs whole:
`%(the_city)s`, `%(of_the_city)s`, `%(from_the_city)s` or `%(to_the_city)s` ("Stop emails
%(from_the_city)s" → "No recibir más correos del Condado de Los Ángeles"). The jurisdiction keeps its
name's gender (`Jurisdiction.name_gender`).

A site with no city yet (a new deployment, or a page drawn while the database is away) never speaks as
the product: it is "City services" alone and "the city" in a sentence, which reads naturally wherever the
city's name would stand.

The city's name itself is a catalogue row (`catalogue.selectors.site_name`), but apps below the catalogue
name the city too (accounts: its emails' subject and sender, the authenticator app's issuer; the admin's
header). So the catalogue registers its reader here when it is ready (`CatalogueConfig.ready`), as apps
register their figures with `metrics` and their checks with `readiness`, and no import points up.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

NO_CITY_NAME = pgettext_lazy("the site's name while no city is set up", "City services")


class NameGender(models.TextChoices):
    """The grammatical gender of the city's name, which its article agrees with in Spanish."""

    FEMININE = "feminine", pgettext_lazy("grammatical gender", "Feminine: la Ciudad de …, de la Ciudad de …")
    MASCULINE = "masculine", pgettext_lazy("grammatical gender", "Masculine: el Condado de …, del Condado de …")


_FEMININE = "the city inside a sentence"
_MASCULINE = "the city inside a sentence, its name masculine"

# Each sentence form of the city: the context variable a sentence names, and its phrase per gender.
_FORMS: dict[str, dict[NameGender, Promise]] = {
    "the_city": {
        NameGender.FEMININE: pgettext_lazy(_FEMININE, "the %(city)s"),
        NameGender.MASCULINE: pgettext_lazy(_MASCULINE, "the %(city)s"),
    },
    "of_the_city": {
        NameGender.FEMININE: pgettext_lazy(_FEMININE, "of the %(city)s"),
        NameGender.MASCULINE: pgettext_lazy(_MASCULINE, "of the %(city)s"),
    },
    "from_the_city": {
        NameGender.FEMININE: pgettext_lazy(_FEMININE, "from the %(city)s"),
        NameGender.MASCULINE: pgettext_lazy(_MASCULINE, "from the %(city)s"),
    },
    "to_the_city": {
        NameGender.FEMININE: pgettext_lazy(_FEMININE, "to the %(city)s"),
        NameGender.MASCULINE: pgettext_lazy(_MASCULINE, "to the %(city)s"),
    },
}

# What a sentence says in place of the city while none is set up.
_NO_CITY: dict[str, Promise] = {
    "the_city": pgettext_lazy(_FEMININE, "the city"),
    "of_the_city": pgettext_lazy(_FEMININE, "of the city"),
    "from_the_city": pgettext_lazy(_FEMININE, "from the city"),
    "to_the_city": pgettext_lazy(_FEMININE, "to the city"),
}


def alone(name: str | None) -> str:
    """The name as a heading, a title or a sender shows it; None: no city is set up."""
    return name if name else str(NO_CITY_NAME)


def in_sentence(name: str | None, gender: str = NameGender.FEMININE) -> str:
    """The name with its article, as a sentence says it; None: no city is set up."""
    return sentence_forms(name, gender)["the_city"]


def sentence_forms(name: str | None, gender: str = NameGender.FEMININE) -> dict[str, str]:
    """Every way a sentence names the city, in the active language, by the variable a sentence uses:
    {"the_city": "the City of Santa Monica", "of_the_city": "of the City of Santa Monica", …}."""
    if not name:
        return {form: str(phrase) for form, phrase in _NO_CITY.items()}
    chosen = NameGender(gender) if gender in NameGender.values else NameGender.FEMININE
    return {form: str(phrases[chosen]) % {"city": name} for form, phrases in _FORMS.items()}


_reader: Callable[[], str] | None = None


def register_reader(reader: Callable[[], str]) -> None:
    """Sets the one reader of the site's name (the catalogue's, from its AppConfig.ready)."""
    global _reader
    _reader = reader


def site_name() -> str:
    """The site's city's name alone, in the active language ("City services" while no city is set up)."""
    reader = _reader
    if reader is None:
        raise LookupError("No app registered the site's name: cityhall.catalogue is missing from INSTALLED_APPS.")
    return reader()
