"""The resident's front door and the report flow: choose a category, say what and where, send, see it sent.

Works without JavaScript: every step is a plain page and a plain form; report.js only makes it
quicker (search as you type, the map, "use my location", smaller photos, offline queue).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_http_methods, require_safe

from cityhall.catalogue.search import fold, matching, search_text
from cityhall.core.contact import given_email, remember_given_email
from cityhall.core.error_summary import summary_line
from cityhall.core.errors import NotFound, ValidationFailed
from cityhall.core.geometry import centre_of
from cityhall.core.map_tiles import tiles_url
from cityhall.core.ratelimit import limit_posts
from cityhall.requests import access, selectors, services
from cityhall.requests.device_reports import read_device_reports, remember_device_report
from cityhall.requests.models import Channel
from cityhall.requests.workflow import STATUSES, Status

from ..forms.report import SAYS_WHAT_IT_IS_ABOUT, ReportForm, attribute_field_name
from . import report_place
from .report_common import current_jurisdiction, reportable_services, saved_places, track_url

RECENT_ON_HOME = 5
# Errors of the submit service by its field names → the form's own fields.
SERVICE_FIELDS = {"lat": "address", "long": "address", "location": "address", "address_string": "address"}
SERVICE_FIELDS |= {"location_description": "place_description", "media_url": "photos"}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Report a problem first; then recent requests, and finding one by its number."""
    wanted = request.GET.get("id", "").strip().lstrip("#")
    if re.fullmatch(r"[A-Za-z0-9-]{1,32}", wanted):
        return HttpResponseRedirect(track_url(wanted))
    jurisdiction = current_jurisdiction()
    recent = []
    if jurisdiction is not None:
        rows = selectors.public_request_rows(jurisdiction.pk, selectors.PublicFilter(), offset=0, limit=RECENT_ON_HOME)
        recent = [{**row, "status_label": STATUSES[Status(str(row["status"]))].label} for row in rows]
    return render(request, "citizen/home.html", {"recent": recent, "jurisdiction": jurisdiction})


def _group_order(service: Any) -> tuple[int, str]:
    """Groups in the city's order, then alphabetical in the page's language; those without a group last."""
    return (service.group.order, fold(service.group.name)) if service.group else (10_000, "")


@require_safe
def choose_category(request: HttpRequest) -> HttpResponse:
    """Step 1: find the category by a word (names and keywords, any language) or under its group."""
    query = request.GET.get("q", "").strip()[:100]
    categories = sorted(reportable_services(), key=lambda service: fold(service.name))
    for service in categories:
        service.search_words = search_text(service)  # type: ignore[attr-defined]  # report.js filters on it
    groups: dict[str, list[Any]] = defaultdict(list)
    for service in sorted(categories, key=_group_order):
        groups[service.group.name if service.group else ""].append(service)
    matches = matching(categories, query)
    context = {
        "query": query,
        "matches": matches,
        "groups": [{"name": name, "services": items} for name, items in groups.items()],
    }
    return render(request, "citizen/report.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts("report", per_minute=30)
def report_form(request: HttpRequest, code: str) -> HttpResponse:
    """Step 2: what, where, photos, contact; "Check this place" shows duplicates without JavaScript."""
    service = reportable_services().prefetch_related("attributes__values").filter(code=code).first()
    if service is None:
        raise Http404
    places = saved_places(request.user)
    if request.method != "POST":
        form = ReportForm(service=service, user=request.user, saved_places=places, initial=_email_given(request))
        return _render_form(request, form, report_place.PlaceCheck(checked=False))
    form = ReportForm(
        _with_email_given(request), request.FILES, service=service, user=request.user, saved_places=places
    )
    valid = form.is_valid()
    data = form.cleaned_data
    place = report_place.check_form(form)
    if request.POST.get("action") == "check":
        form.errors.clear()  # checking the place is not sending: unanswered questions are not errors yet
        return _render_form(request, form, place)
    if not valid:
        return _render_form(request, form, place, status=400)
    try:
        created = services.service_request_submit(
            service=service,
            location=services.Location(
                lat=data.get("lat"),
                lng=data.get("lng"),
                address=data.get("address", ""),
                description=data.get("place_description", ""),
            ),
            description=data.get("description", ""),
            attributes=form.answers(),
            reporter=request.user if request.user.is_authenticated else None,
            contact=services.Contact(
                name=data.get("name", ""), email=data.get("email", ""), phone=data.get("phone", "")
            ),
            channel=Channel.WEB,
            photos_in=data.get("photos") or [],
            language=translation.get_language() or "",
        )
    except ValidationFailed as refused:
        for field, message in refused.errors.items():
            name = SERVICE_FIELDS.get(field, field)
            if name.startswith("attribute["):
                name = attribute_field_name(name[len("attribute[") : -1])
            form.add_error(name if name in form.fields else None, message)
        return _render_form(request, form, place, status=400)
    response = HttpResponseRedirect(reverse("citizen:confirmation", args=[created.public_id]))
    if not request.user.is_authenticated:
        remember_given_email(request, data.get("email", ""))
        remember_device_report(request, response, public_id=created.public_id, tracking_token=created.tracking_token)
    return response


def _email_given(request: HttpRequest) -> dict[str, str]:
    """The email this session gave already (to "add my support" or an earlier report): asked once."""
    email = "" if request.user.is_authenticated else given_email(request)
    return {"email": email} if email else {}


def _with_email_given(request: HttpRequest) -> QueryDict:
    """The posted report; an empty email takes the one typed on the duplicate card above it."""
    data = request.POST.copy()
    if not data.get("email", "").strip() and data.get("support_email", "").strip():
        data["email"] = data.get("support_email", "").strip()
    return data


def _render_form(request: HttpRequest, form: ReportForm, place: Any, *, status: int = 200) -> HttpResponse:
    jurisdiction = form.service.jurisdiction
    context = {
        "form": form,
        "given_email": "" if request.user.is_authenticated else given_email(request),
        "error_links": _error_links(form),
        "service": form.service,
        "place": place,
        "already": report_place.already_heard(request, place),
        "map_tiles": tiles_url(),
        "city_centre": centre_of(jurisdiction.boundary),
        "saved_points": json.dumps({pk: [place.lat, place.lng] for pk, place in form.saved_places.items()}),
    }
    return render(request, "citizen/report_form.html", context, status=status)


def _error_links(form: ReportForm) -> list[tuple[str, str]]:
    """(field id, line) for the error summary: each a link to the field it is about, naming it unless
    its words already say what they are about (the form's own checks across fields)."""
    links: list[tuple[str, str]] = []
    for name, errors in form.errors.as_data().items():
        if name not in form.fields:
            links.extend(("content", message) for error in errors for message in error.messages)
            continue
        field = form[name]
        for error in errors:
            named = error.code != SAYS_WHAT_IT_IS_ABOUT
            links.extend((field.auto_id, summary_line(field.label, m) if named else m) for m in error.messages)
    return links


@require_safe
def confirmation(request: HttpRequest, public_id: str) -> HttpResponse:
    """After submit: the number, the tracking link (with the secret for anonymous reporters), expected-by."""
    token = dict(read_device_reports(request)).get(public_id, "")
    try:
        created, _actor = access.request_for_requester(public_id, user=request.user, token=token)
    except NotFound:
        raise Http404 from None
    anonymous = created.reporter_id is None or not request.user.is_authenticated
    context = {
        "created": created,
        "service": created.service,
        "tracking_url": request.build_absolute_uri(track_url(created.public_id, token if anonymous else "")),
        "tracking_path": track_url(created.public_id, token if anonymous else ""),
        "anonymous": anonymous,
        "map_tiles": tiles_url(),
    }
    return render(request, "citizen/confirmation.html", context)
