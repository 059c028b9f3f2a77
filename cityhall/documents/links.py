"""The public addresses printed on documents and named in certificates."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def absolute(path: str) -> str:
    return str(settings.CITYHALL_PUBLIC_URL).rstrip("/") + path


def verify_url(number: str) -> str:
    return absolute(reverse("documents:verify_number", args=[number]))
