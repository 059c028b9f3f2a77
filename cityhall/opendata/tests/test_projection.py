"""The projection is what the privacy rule returns: kept current after each commit, and rebuilt the same."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from cityhall.opendata.models import PublicRequest, PublicRequestUpdate
from cityhall.opendata.privacy import public_request, public_update
from cityhall.opendata.services import projection_rebuild
from cityhall.requests.tests.builders import CITY_HALL, submit

pytestmark = pytest.mark.django_db


def _snapshot() -> tuple[list[dict], list[dict]]:
    requests = list(PublicRequest.objects.order_by("pk").values())
    updates = list(PublicRequestUpdate.objects.order_by("pk").values())
    return requests, updates


def test_upkeep_after_commit_and_rebuild_agree(service, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pothole = submit(service("potholes"), description="Deep hole")
        noisy = submit(service("loud-music"), description="Party at my neighbor's")
        hidden = submit(service("police-reports-records"), description="A private matter")
    kept = _snapshot()
    assert {row["service_request_id"] for row in kept[0]} == {pothole.public_id, noisy.public_id}
    assert public_request(hidden) is None
    row = PublicRequest.objects.get(service_request_id=noisy.public_id)
    assert (row.description, row.address, row.location_generalized) == ("", "", True)
    assert (row.latitude, row.longitude) != CITY_HALL
    assert public_request(pothole)["description"] == "Deep hole"
    assert all(public_update(event) is not None for event in pothole.events.all())

    report = projection_rebuild()

    assert (report.requests, report.updates) == (2, len(kept[1]))
    assert _snapshot() == kept


def test_the_rebuild_command_says_what_it_published(service, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(service("potholes"))
    PublicRequest.objects.all().delete()
    out = io.StringIO()

    call_command("opendata", "rebuild", stdout=out)

    assert out.getvalue().startswith("Open data: 1 requests and 2 updates published in ")
    assert PublicRequest.objects.count() == 1
