"""The staff dashboards at /staff/dashboards/: the page, and each chart's CSV."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from cityhall.catalogue import selectors as catalogue
from cityhall.core import clock
from cityhall.core.errors import NotFound
from cityhall.requests.models import Channel

from . import access, selectors
from .board import CHARTS, board, chart
from .filters import GRAINS, FilterError, Filters, parse_filters
from .mapboard import MAPS, colouring, maps
from .readings import period_label
from .scorecard import scorecard as public_scorecard
from .selectors import one_page
from .services.rollups import city_timezone

View = Callable[..., HttpResponse]


def dashboard_page(view: View) -> View:
    """Signed-out people sign in; anyone who may not see dashboards gets a 404 (as on every staff page)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            access.dashboard_viewer(request.user)
        except NotFound:
            raise Http404 from None
        return view(request, *args, **kwargs)

    return wrapper


def _filters(request: HttpRequest) -> Filters:
    user: Any = request.user
    today = clock.now().astimezone(city_timezone()).date()
    return access.scoped(parse_filters(request.GET.dict(), today=today), user)


@require_safe
@dashboard_page
def dashboards(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    context: dict[str, Any] = {"choices": _choices(user), "given": request.GET.dict()}
    try:
        filters = _filters(request)
    except FilterError as error:
        context["error"] = str(error)
        return render(request, "dashboards/dashboards.html", context, status=400)
    today = clock.now().astimezone(city_timezone()).date()
    try:
        colour = colouring(request.GET)
    except FilterError as error:
        context["error"] = str(error)
        return render(request, "dashboards/dashboards.html", context, status=400)
    with one_page():  # the charts share one read of the day sums
        context.update(board=board(filters, today), maps=maps(filters, colour), comments=selectors.comments(filters))
    context.update(
        filters=filters,
        colour=colour,
        query=urlencode(filters.as_query()),
        period=f"{period_label(filters.start, 'day')} – {period_label(filters.end, 'day')}",
    )
    return render(request, "dashboards/dashboards.html", context)


@require_safe
@dashboard_page
def chart_csv(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in CHARTS and slug not in MAPS:
        raise Http404
    try:
        filters = _filters(request)
        colour = colouring(request.GET)
    except FilterError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    today = clock.now().astimezone(city_timezone()).date()
    drawn = MAPS[slug](filters, colour) if slug in MAPS else chart(slug, filters, today)
    response = HttpResponse(drawn.csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-{filters.start}-{filters.end}.csv"'
    return response


def _choices(user: Any) -> dict[str, Any]:
    """What the filter form offers: a department person is not offered other departments."""
    city_wide = access.department_ids(user) is None
    return {
        "departments": catalogue.departments() if city_wide else catalogue.departments().none(),
        "services": catalogue.active_services().only("code", "name"),
        "groups": catalogue.service_groups(),
        "zones": catalogue.zones().only("slug", "name"),
        "channels": Channel.choices,
        "grains": GRAINS,
    }


@require_safe
def scorecard(request: HttpRequest) -> HttpResponse:
    """The public scorecard: anyone may read it (scorecard.py says what it may show)."""
    today = clock.now().astimezone(city_timezone()).date()
    return render(request, "dashboards/scorecard.html", {"card": public_scorecard(today)})
