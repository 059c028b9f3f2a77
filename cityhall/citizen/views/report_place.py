"""Where the problem is: the boundary check and "Is it one of these?" before a report is sent.

The same fragment serves the no-JavaScript form (a "Check this place" button re-renders the page)
and the enhanced one (report.js asks for it as soon as a point is chosen).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cityhall.catalogue.models import Service
from cityhall.core import moments
from cityhall.core.contact import given_email, is_email, remember_given_email
from cityhall.core.errors import DomainError, NotFound
from cityhall.core.ratelimit import limit_posts
from cityhall.geo import geocoding
from cityhall.geo.lookup import jurisdiction_contains, zone_for_point
from cityhall.requests import access, public_text, selectors, services
from cityhall.requests.workflow import OPEN, STATUSES, Status

from ..forms.report import ReportForm, outside_message
from .report_common import current_jurisdiction, reportable_services, track_url

SUGGESTIONS = 6
DUPLICATE_RADIUS_M = 150
MAX_DUPLICATES = 5


@dataclass(frozen=True)
class Candidate:
    """An open request near the chosen point, as the duplicate prompt shows it."""

    public_id: str
    category: str
    status: str
    requested_at: datetime
    distance_m: int
    supporters: int
    place: str
    thumbnail: str
    # Public words only, with anyone's contacts taken out (cityhall.requests.public_text).
    description: str
    excerpt: str
    department: str
    age: str  # "3 days ago", "just now", in the language of the page


@dataclass(frozen=True)
class PlaceCheck:
    checked: bool
    outside: str = ""
    candidates: tuple[Candidate, ...] = ()
    placed: str = ""  # the typed address as found on the map: “1685 Main St”
    unplaced: str = ""  # the typed address we could not find
    near: str = ""  # the nearest address to a point (“1685 Main St”, shown as “Near 1685 Main St”)
    corner: bool = False  # … or the nearest corner (“Main St & Pico Blvd”)
    zone: str = ""  # the neighbourhood the point is in


class _Where(TypedDict):
    """Where a point is, as PlaceCheck says it."""

    placed: str
    near: str
    corner: bool
    zone: str


def check(
    service: Service,
    lat: float | None,
    lng: float | None,
    *,
    placed: str = "",
    unplaced: str = "",
    near: geocoding.Found | None = None,
) -> PlaceCheck:
    """Is the point in the city, and which open requests of this category are already near it."""
    if lat is None or lng is None:
        return PlaceCheck(checked=bool(unplaced), unplaced=unplaced)
    if not jurisdiction_contains(service.jurisdiction, lat, lng):
        return PlaceCheck(checked=True, outside=outside_message(service), placed=placed)
    zone = zone_for_point(service.jurisdiction, lat, lng)
    where: _Where = {
        "placed": placed,
        "near": near.label if near else "",
        "corner": bool(near and near.kind == "intersection"),
        "zone": zone.name if zone else "",
    }
    nearby = [
        found
        for found in selectors.nearby_requests(service=service, lat=lat, lng=lng, radius_m=DUPLICATE_RADIUS_M)
        if found.request.status in OPEN
    ][:MAX_DUPLICATES]
    photos = selectors.public_photos([found.request.pk for found in nearby]) if nearby else {}
    return PlaceCheck(checked=True, candidates=tuple(_candidate(found, photos) for found in nearby), **where)


def _candidate(found: selectors.Nearby, photos: dict[int, list[dict[str, object]]]) -> Candidate:
    request = found.request
    description = public_text.public_description(request)
    return Candidate(
        public_id=request.public_id,
        category=request.service.name,
        status=str(STATUSES[Status(request.status)].label),
        requested_at=request.requested_at,
        distance_m=round(found.distance_m),
        supporters=request.support_count,
        place=public_text.public_place(request),
        # Only photos open to everyone: public ones of a public category (nearby_requests lists no other).
        thumbnail=next(
            (str(photo["thumbnail"]) for photo in photos.get(request.pk, []) if photo["purpose"] == "report"), ""
        ),
        description=description,
        excerpt=public_text.excerpt(description),
        department=request.department.name if request.department else "",
        age=moments.ago(request.requested_at),  # "just now", "3 hours ago"
    )


def check_form(form: ReportForm) -> PlaceCheck:
    """The place check of a filled-in report form (its address placed, or its point described)."""
    data = getattr(form, "cleaned_data", {})
    return check(
        form.service,
        data.get("lat"),
        data.get("lng"),
        placed=form.placed.label if form.placed else "",
        unplaced=form.unplaced,
        near=form.near,
    )


def _float(value: str | None) -> float | None:
    try:
        number = float(value or "")
    except ValueError:
        return None
    return number if -180 <= number <= 180 else None


@require_safe
def check_place(request: HttpRequest) -> HttpResponse:
    """The place-check fragment for report.js: GET ?service=CODE&lat=…&lng=…"""
    service = reportable_services().filter(code=request.GET.get("service", "")).first()
    if service is None:
        return HttpResponse(status=404)
    lat, lng = _float(request.GET.get("lat")), _float(request.GET.get("lng"))
    placed = request.GET.get("placed", "")[: geocoding.MAX_QUERY]  # a suggestion the resident chose
    near = None
    if not placed and lat is not None and lng is not None:
        near = geocoding.reverse(service.jurisdiction, lat, lng)
    result = check(service, lat, lng, placed=placed, near=near)
    context = {"place": result, "service": service, "given_email": given_email(request)}
    context["already"] = already_heard(request, result)
    return render(request, "citizen/report_place.html", context)


def already_heard(request: HttpRequest, place: PlaceCheck) -> set[str]:
    """The cards this person reported or supports already: no "add my support" on those."""
    if not place.candidates:
        return set()
    user = request.user if request.user.is_authenticated else None
    emails = [email for email in (getattr(user, "email", ""), given_email(request)) if email]
    return selectors.heard_by([found.public_id for found in place.candidates], user=user, emails=emails)


@require_safe
def search_places(request: HttpRequest) -> JsonResponse:
    """Address suggestions as the resident types: GET ?q=1685 mai → {"results": [{label, detail, lat, lng}]}.

    Bounded (MAX_QUERY characters, SUGGESTIONS results) and cacheable: the answer depends on the words
    alone, so a browser asking again for the same words is served from its cache.
    """
    jurisdiction = current_jurisdiction()
    query = " ".join(request.GET.get("q", "").split())[: geocoding.MAX_QUERY]
    found = geocoding.search(jurisdiction, query, limit=SUGGESTIONS) if jurisdiction and len(query) >= 3 else []
    results = [
        {"label": f.label, "detail": f.detail, "kind": f.kind, "lat": round(f.lat, 6), "lng": round(f.lng, 6)}
        for f in found
    ]
    response = JsonResponse({"query": query, "results": results})
    patch_cache_control(response, public=True, max_age=600)
    return response


@require_POST
@limit_posts("support", per_minute=10)
def support(request: HttpRequest, public_id: str) -> HttpResponse:
    """“This is it — add my support”: follow the existing request instead of filing a new one."""
    back = request.POST.get("back", "")
    back = back if back.startswith("/report/") else reverse("citizen:report")
    try:
        existing = access.request_for_public(public_id, user=request.user)
    except NotFound:
        messages.error(request, _("We could not find that request."))
        return HttpResponseRedirect(back)
    user = request.user if request.user.is_authenticated else None
    typed = (request.POST.get("support_email") or request.POST.get("email") or "").strip()
    email = "" if user else (typed or given_email(request))
    if user is None and not is_email(email):
        messages.error(request, _("Give your email address so we can tell you when it is fixed."))
        return HttpResponseRedirect(back)
    if user is None:
        remember_given_email(request, email)  # asked once: the report form and tracking pages reuse it
    try:
        added = services.service_request_support(service_request=existing, user=user, email=email)
    except DomainError:
        messages.error(request, _("This request can no longer take support. Please report the problem again."))
        return HttpResponseRedirect(back)
    if added:
        messages.success(request, _("Thank you: your support is added, and we will tell you when it is fixed."))
    else:
        messages.info(request, _("You already follow this request."))
    return HttpResponseRedirect(track_url(existing.public_id))
