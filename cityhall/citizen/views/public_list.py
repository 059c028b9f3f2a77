"""The public list and map of recent requests: filters by category, status and neighborhood.

The list is plain HTML (it works without JavaScript); the map is an enhancement that reads the
same filters from a small JSON endpoint. Both show public fields only — never who reported.
Open requests are shown unless the resident asks for done ones or all of them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext, gettext_lazy, pgettext
from django.views.decorators.http import require_safe

from cityhall.catalogue import selectors as catalogue
from cityhall.catalogue.models import Jurisdiction
from cityhall.catalogue.selectors import site_city
from cityhall.core.map_tiles import tiles_url
from cityhall.requests.public_text import public_text
from cityhall.requests.selectors import city_request_markers, city_requests
from cityhall.requests.workflow import DONE, OPEN, STATUSES, Status

from .track_timeline import StatusBadge, status_badge

PAGE_SIZE = 20
MAX_MARKERS = 500
DEFAULT_STATUS = "open"
ALL_STATUSES = "all"


def _city() -> Jurisdiction | None:
    """The city whose requests are listed: the one the site speaks for (the first, when several share it)."""
    return site_city()


class ListFilters(forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    area = forms.ChoiceField(label=gettext_lazy("Neighborhood"), required=False)

    def __init__(self, data: Any, *, city: Jurisdiction | None) -> None:
        if data is not None and "status" not in data:  # a filter link without a status still means open ones
            data = data.copy()
            data["status"] = DEFAULT_STATUS
        super().__init__(data, auto_id="filter-%s", initial={"status": DEFAULT_STATUS})
        services = catalogue.public_services_of(city)
        zones = catalogue.zones_of(city.pk if city is not None else None)
        everything = [("", pgettext("filter: no restriction", "All"))]
        self._choose("category", everything + list(services.values_list("code", "name")))
        self._choose(
            "status",
            [
                ("open", gettext("Open (not yet done)")),
                ("done", gettext("Done (resolved or closed)")),
                (ALL_STATUSES, gettext("All, open and done")),
                *[(status.value, str(info.label)) for status, info in STATUSES.items()],
            ],
        )
        self._choose("area", everything + list(zones.values_list("slug", "name")))

    def _choose(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def value(self, name: str) -> str:
        """A filter's value; "" when absent or not one of the choices (a stale link shows everything)."""
        if not self.is_bound:
            return ""
        self.is_valid()  # cleans: fields with a valid value land in cleaned_data even if another is wrong
        return str(self.cleaned_data.get(name, ""))


def _chosen(filters: ListFilters) -> dict[str, str]:
    """The selectors' filters: "" means any; an empty or unknown status means the default, open ones."""
    status = filters.value("status") or DEFAULT_STATUS
    return {
        "category": filters.value("category"),
        "area": filters.value("area"),
        "status": "" if status == ALL_STATUSES else status,
    }


def legend(status: str) -> list[StatusBadge]:
    """The statuses the map can show for this status filter, with the list's badge colours."""
    shown = {"open": OPEN, "done": DONE, "": tuple(STATUSES)}.get(status, (status,))
    return [status_badge(value) for value in STATUSES if value in shown]


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_safe
def request_list(request: HttpRequest) -> HttpResponse:
    """Recent public requests, newest first, a page at a time; the same number of queries for any page."""
    city = _city()
    filters = ListFilters(request.GET or None, city=city)
    chosen = _chosen(filters)
    rows = city_requests(city, **chosen)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = _query_without_page(request)
    return render(
        request,
        "citizen/list.html",
        {
            "filters": filters,
            "page": page,
            # The place as typed may hold a phone or an email ("text me at the gate"): hidden here.
            "items": [
                (row, status_badge(row.status), public_text(row.address or row.location_description, ()))
                for row in page.object_list
            ],
            "query": query,
            "legend": legend(chosen["status"]),
            "markers_url": reverse("citizen:list_markers") + (f"?{query}" if query else ""),
            "tiles_url": tiles_url(),
        },
    )


@require_safe
def map_markers(request: HttpRequest) -> JsonResponse:
    """The newest MAX_MARKERS requests matching the list's filters that have a point: public fields only."""
    city = _city()
    filters = ListFilters(request.GET or None, city=city)
    markers = []
    for public_id, lat, lng, status, category, requested_at in city_request_markers(
        city, **_chosen(filters), limit=MAX_MARKERS
    ):
        badge = status_badge(status)
        markers.append(
            {
                "id": public_id,
                "lat": round(lat, 5),
                "lng": round(lng, 5),
                "category": category,
                "status": badge.label,
                "colour": badge.colour,
                "open": Status(status) in OPEN,
                "requested": date_format(localtime(requested_at), "DATE_FORMAT"),  # as the list shows it
                "url": reverse("citizen:track", args=[public_id]),
            }
        )
    return JsonResponse({"markers": markers})
