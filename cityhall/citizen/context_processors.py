"""What every page's frame shows: the city the site speaks for (header, official banner, footer, titles).

`site_name` is the name alone (a heading, a title); `the_city` is the name as a sentence says it, with its
article (core/city_names.py). Templates of apps that may not ask the catalogue (accounts) read both here.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cityhall.catalogue.selectors import PRODUCT_NAME, city_in_sentence, city_name, site_city


def city(request: HttpRequest) -> dict[str, Any]:
    found = site_city()
    return {
        "city": found,
        "site_name": city_name(found),
        "the_city": city_in_sentence(found),
        "product_name": PRODUCT_NAME,
    }
