"""What every page's frame shows: the city the site speaks for (header, official banner, footer, titles).

`site_name` is the name alone (a heading, a title); `the_city` is the name as a sentence says it, with its
article, and `of_the_city`, `from_the_city`, `to_the_city` the same after a preposition the article may fuse
with in Spanish ("del Condado") (core/city_names.py). Templates of apps that may not ask the catalogue
(accounts) read them all here.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cityhall.catalogue.selectors import PRODUCT_NAME, city_name, city_sentence_forms, site_city


def city(request: HttpRequest) -> dict[str, Any]:
    found = site_city()
    return {
        "city": found,
        "site_name": city_name(found),
        **city_sentence_forms(found),
        "product_name": PRODUCT_NAME,
    }
