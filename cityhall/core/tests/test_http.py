"""The HTTP surface of the spine: health, security headers, the admin for every catalogue model."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from cityhall.requests.tests.builders import submit

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}
    assert client.post("/healthz").status_code == 405


def test_pages_carry_a_content_security_policy_and_no_framing(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_every_admin_list_add_and_change_page_opens_for_the_city_admin(client, people, service):
    request = submit(service("potholes"))
    client.force_login(people["admin"])
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        listing = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"), {"q": "pot"})
        assert listing.status_code == 200, meta.label
        if model_admin.has_add_permission(listing.wsgi_request):
            assert client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code == 200, meta.label
        first = model.objects.first()
        if first is not None:
            change = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk]))
            assert change.status_code == 200, meta.label
    assert request.public_id in client.get(reverse("admin:requests_servicerequest_changelist")).content.decode()


def test_residents_cannot_open_the_admin(client, people):
    client.force_login(people["resident"])
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_admin_refuses_an_invalid_boundary(client, people, santa_monica):
    client.force_login(people["admin"])
    url = reverse("admin:catalogue_zone_add")
    response = client.post(
        url,
        {
            "jurisdiction": santa_monica.pk,
            "name": "Bad",
            "slug": "bad",
            "kind": "neighbourhood",
            "geometry": '{"type": "Point", "coordinates": [0, 0]}',
        },
    )
    assert response.status_code == 200
    assert "Expected a GeoJSON Polygon or MultiPolygon" in response.content.decode()


def test_the_admin_shows_times_in_the_city_time_zone(client, people, service):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from cityhall.core import clock

    with clock.travel(datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("America/Los_Angeles"))):
        request = submit(service("potholes"))
    client.force_login(people["admin"])
    page = client.get(reverse("admin:requests_servicerequest_change", args=[request.pk])).content.decode()
    assert "9:30 AM" in page  # 17:30 UTC, shown as Santa Monica time (config/formats/en)
    assert request.tracking_token not in page  # the reporter's secret is not shown
    assert "deletelink" not in page and "Save and continue" not in page  # view only


@pytest.mark.parametrize(
    ("tiles", "allowed"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tiles.example.org/{z}/{x}/{y}.png", "https://*.tiles.example.org"),
        ("http://maps.city.example:8080/tiles/{z}/{x}/{y}.png", "http://maps.city.example:8080"),
        ("", ""),
    ],
)
def test_every_map_page_lets_in_the_configured_tile_server_and_nothing_else(client, settings, tiles, allowed):
    settings.CITYHALL_MAP_TILES = tiles
    policy = client.get("/requests")["Content-Security-Policy"]
    image_sources = next(part for part in policy.split("; ") if part.startswith("img-src "))
    assert image_sources == f"img-src 'self' data: blob: {allowed}".strip()
