"""No catalog holds words that speak as the product: the site speaks as its city (core/city_names.py), and the
product's name is only the footer's "Powered by", a variable. (Text messages' "CityHall:" prefix is kept on
purpose, in notifications/templates/notifications/sms.txt, not in a catalog.)"""

from __future__ import annotations

import gettext
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CATALOGS = sorted(
    [*ROOT.glob("cityhall/*/locale/*/LC_MESSAGES/django.mo"), *ROOT.glob("locale/*/LC_MESSAGES/django.mo")]
)


def test_no_catalog_speaks_as_the_product():
    assert CATALOGS
    found = []
    for path in CATALOGS:
        with path.open("rb") as file:
            catalog = gettext.GNUTranslations(file)._catalog  # type: ignore[attr-defined]
        for key, text in catalog.items():
            said = f"{key} {text}" if key else ""  # the header (key "") names the project, not a word shown
            if "CityHall" in said:
                found.append(f"{path.relative_to(ROOT)}: {key!r}")
    assert found == []
