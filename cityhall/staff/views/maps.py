"""Maps are optional everywhere: the points go into the page as JSON, and static/staff/map.js draws them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from cityhall.core.map_tiles import tiles_url
from cityhall.requests.models import ServiceRequest


def point(public_id: str, lat: float, lng: float, title: str, status: str) -> dict[str, Any]:
    return {
        "id": public_id,
        "lat": lat,
        "lng": lng,
        "title": title,
        "status": status,
        "url": reverse("staff:request", args=[public_id]),
    }


def map_context(rows: Iterable[ServiceRequest]) -> dict[str, Any]:
    points = [
        point(row.public_id, row.lat, row.lng, f"#{row.public_id} {row.service.name}", row.status)
        for row in rows
        if row.lat is not None and row.lng is not None
    ]
    return {"map_points": points, "map_tiles": tiles_url()}
