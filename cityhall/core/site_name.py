"""The name the site speaks as, for code below the app that owns it.

The city's name is a catalogue row (`catalogue.selectors.site_name`), but accounts sits below the
catalogue and names the city too: in its emails' subject and sender, and as the authenticator app's
issuer. So the catalogue registers its reader here when it is ready (`CatalogueConfig.ready`), as apps
register their figures with `metrics` and their checks with `readiness`, and no import points up.
"""

from __future__ import annotations

from collections.abc import Callable

_reader: Callable[[], str] | None = None


def register(reader: Callable[[], str]) -> None:
    """Sets the one reader of the site's name (the catalogue's, from its AppConfig.ready)."""
    global _reader
    _reader = reader


def site_name() -> str:
    """The site's city's name alone, in the active language ("City services" while no city is set up)."""
    reader = _reader
    if reader is None:
        raise LookupError("No app registered the site's name: cityhall.catalogue is missing from INSTALLED_APPS.")
    return reader()
