"""Where a stored file (a photo) is downloaded from, as a full address on the host that was asked."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest


def media_url_maker(request: HttpRequest) -> Callable[[str], str]:
    """A function from a stored file's name to its absolute address; the host is worked out once."""
    base = request.build_absolute_uri(settings.MEDIA_URL)
    return lambda name: base + name
