"""The admin's header and title speak as the city, never as the product.

Read at each page, in the reader's language: "City of Santa Monica · administration", "Ciudad de Santa
Mónica · administración", and "City services · administration" while no city is set up (city_names).
"""

from __future__ import annotations

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .city_names import site_name


def _header() -> str:
    return gettext("%(city)s · administration") % {"city": site_name()}


# Lazy, so each page names the city as it is now and in the reader's language; the admin only prints them.
SITE_HEADER = lazy(_header, str)()
INDEX_TITLE = _("City policy, catalog and requests")
