"""Atom feeds of an area: new requests and resolutions in a neighbourhood or around a point. Public.

Entries carry the category, the place and the status — never the reporter or their words.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from cityhall.catalogue import selectors as catalogue
from cityhall.geo.cells import MAX_RADIUS_M
from cityhall.requests.models import RequestEvent

from .. import links
from ..areas import Area
from ..links import feed_path
from ..selectors import feed_entries

if TYPE_CHECKING:
    BaseFeed = Feed[RequestEvent, Area]
else:
    BaseFeed = Feed


class AreaFeed(BaseFeed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, zone_id: int | None = None) -> Area:
        services = catalogue.public_services_with_codes(request.GET.getlist("service"))
        if zone_id is not None:
            zone = catalogue.zone_or_none(zone_id)
            if zone is None:
                raise Http404("No such neighborhood")
            return Area(zone=zone, services=services)
        try:
            lat, lng = float(request.GET["lat"]), float(request.GET["lng"])
            radius = int(request.GET.get("radius_m", "500"))
        except (KeyError, ValueError):
            raise Http404("lat and lng are needed") from None
        if not (-90 <= lat <= 90 and -180 <= lng <= 180 and 0 < radius <= MAX_RADIUS_M):
            raise Http404("lat, lng or radius_m out of range")
        return Area(lat=lat, lng=lng, radius_m=radius, services=services)

    def title(self, area: Area) -> str:
        where = (
            area.zone.name
            if area.zone
            else _("%(metres)s m around %(lat).5f, %(lng).5f")
            % {"metres": area.radius_m, "lat": area.lat, "lng": area.lng}
        )
        # The site's city, as its pages name it (remembered per process: readers poll feeds often).
        to_the_city = catalogue.city_sentence_forms(catalogue.site_city())["to_the_city"]
        return _("Requests %(to_the_city)s: %(where)s") % {"to_the_city": to_the_city, "where": where}

    def feed_guid(self, area: Area) -> str:
        return links.absolute(feed_path(area))

    def feed_url(self, area: Area) -> str:
        return links.absolute(feed_path(area))

    def link(self, area: Area) -> str:
        return links.absolute("/requests")

    def subtitle(self, area: Area) -> str:
        return _("New requests and resolutions in this area over the last 30 days.")

    def items(self, area: Area) -> list[RequestEvent]:
        return feed_entries(area)

    def item_title(self, event: RequestEvent) -> str:
        request = event.request
        words = _("New") if event.kind == RequestEvent.Kind.SUBMITTED else _("Resolved")
        place = request.address or request.location_description
        return f"{words}: {request.service.name}" + (f" — {place}" if place else "")

    def item_description(self, event: RequestEvent) -> str:
        request = event.request
        return _("Request #%(id)s, %(service)s.") % {"id": request.public_id, "service": request.service.name}

    def item_link(self, event: RequestEvent) -> str:
        return links.request_link(event.request, with_token=False)

    def item_guid(self, event: RequestEvent) -> str:
        return links.absolute(f"/requests/{event.request.public_id}#event-{event.pk}")

    def item_guid_is_permalink(self, event: RequestEvent) -> bool:
        return False

    def item_pubdate(self, event: RequestEvent) -> datetime:
        return event.created_at

    def item_updateddate(self, event: RequestEvent) -> datetime:
        return event.created_at

    def item_categories(self, event: RequestEvent) -> list[str]:
        return [event.request.service.name]
