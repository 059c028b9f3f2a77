"""The tile server every map draws from, and how the content security policy names it.

One setting, `CITYHALL_MAP_TILES` (a Leaflet URL template, `{s}` standing for a subdomain);
empty draws the points on a blank ground.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def tiles_url() -> str:
    return str(settings.CITYHALL_MAP_TILES)


def tiles_source() -> str:
    """The tile server as a CSP source ("" when there is none): a leading `{s}.` becomes `*.`."""
    parts = urlsplit(tiles_url())
    host = parts.netloc.replace("{s}.", "*.", 1) if parts.netloc.startswith("{s}.") else parts.netloc
    if parts.scheme not in ("http", "https") or not host or "{" in host:
        return ""
    return f"{parts.scheme}://{host}"
