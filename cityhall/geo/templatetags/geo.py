"""Places as a reader sees them."""

from __future__ import annotations

from django import template

from cityhall.geo import geocoding

register = template.Library()


@register.filter
def as_read(address: str | None) -> str:
    """A request's stored address in the reader's language (geocoding.as_read): “near …” is translated."""
    return geocoding.as_read(address or "")
