"""What every page's frame shows: the city the site speaks for (header, official banner, footer, titles)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cityhall.catalogue.selectors import PRODUCT_NAME, city_name, site_city


def city(request: HttpRequest) -> dict[str, Any]:
    found = site_city()
    return {"city": found, "site_name": city_name(found), "product_name": PRODUCT_NAME}
