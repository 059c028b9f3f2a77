"""What the report pages share: the city, its reportable categories, links to the tracking page."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from cityhall.accounts.models import SavedPlace
from cityhall.accounts.selectors import saved_places_for
from cityhall.catalogue import selectors as catalogue
from cityhall.catalogue.models import Jurisdiction, Service
from cityhall.catalogue.selectors import site_city


def current_jurisdiction() -> Jurisdiction | None:
    """The city this site serves (the first, when a deployment holds several), as every page's frame shows it."""
    return site_city()


def reportable_services() -> QuerySet[Service]:
    """Categories a resident may report in: public and active, of the city this site serves."""
    return catalogue.reportable_services(current_jurisdiction())


def track_url(public_id: str, token: str = "") -> str:
    """The tracking page of a request; an anonymous reporter's link carries their secret token."""
    url = reverse("citizen:track", args=[public_id])
    return f"{url}?{urlencode({'token': token})}" if token else url


def saved_places(user: Any) -> list[SavedPlace]:
    """The resident's saved places (none when signed out)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(saved_places_for(user))
