"""The public scorecard: aggregates only; a single report can never be picked out; private categories never count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.dashboards.models import MonthlyRollup, Rollup
from cityhall.geo.lookup import zone_for_point
from cityhall.requests.tests.builders import CITY_HALL, OCEAN_PARK, submit

pytestmark = pytest.mark.django_db
PAGE = reverse("performance")


@pytest.fixture
def report(service, django_capture_on_commit_callbacks):
    def make(code, at=CITY_HALL, times=1):
        with django_capture_on_commit_callbacks(execute=True):
            return [submit(service(code), at=at) for _ in range(times)]

    return make


def figures(page: str) -> list[str]:
    block = page.split('<ul class="figures">', 1)[1].split("</ul>", 1)[0]
    return [item.split("<strong>", 1)[1].split("</strong>", 1)[0] for item in block.split("<li>")[1:]]


def test_a_single_report_cannot_be_picked_out(client, report, santa_monica):
    (lone,) = report("graffiti-public-property", at=OCEAN_PARK)
    page = client.get(PAGE).content.decode()
    assert figures(page)[:3] == ["fewer than 5", "0", "too few to show"]
    assert "Graffiti" not in page and "Ocean Park" not in page
    # Not as a number or a link (a bare 8-digit id may turn up by chance inside a nonce or hash).
    assert f"#{lone.public_id}" not in page and f"/requests/{lone.public_id}" not in page


def test_categories_and_neighborhoods_with_five_or_more_are_listed(client, report, santa_monica):
    report("potholes", times=6)
    report("graffiti-public-property", at=OCEAN_PARK)
    page = client.get(PAGE).content.decode()
    assert figures(page)[0] == "7"
    by_category = page.split("By category", 1)[1].split("By neighborhood", 1)[0]
    assert "Potholes" in by_category and "Graffiti" not in by_category
    downtown = zone_for_point(santa_monica, *CITY_HALL)
    by_neighborhood = page.split("By neighborhood", 1)[1].split("The last six months", 1)[0]
    assert downtown.name in by_neighborhood and "Ocean Park" not in by_neighborhood
    assert "too few to show" in by_category  # nothing closed yet: no median from fewer than 5


def test_private_categories_never_count(client, report, santa_monica):
    report("police-reports-records", times=6)
    page = client.get(PAGE).content.decode()
    assert figures(page)[0] == "0"
    assert "Police Reports" not in page


def test_spanish_and_the_home_page_link(client, santa_monica):
    assert PAGE in client.get("/").content.decode()
    page = client.get(PAGE, headers={"accept-language": "es"}).content.decode()
    assert "Qué tan rápido la ciudad arregla los problemas" in page


@pytest.mark.parametrize(("language", "thousands"), [("en", "1,234"), ("es", "1\xa0234")])
def test_thousands_read_as_the_reader_writes_them(client, report, santa_monica, language, thousands):
    report("potholes", times=6)
    # A big city's month, as its rollups count it (a thousand reports would take minutes to file here).
    Rollup.objects.update(received=1234)
    MonthlyRollup.objects.update(received=1234)
    page = client.get(PAGE, headers={"accept-language": language}).content.decode()
    assert figures(page)[0] == thousands
    by_category = page.split('id="by-category"', 1)[1].split('id="by-neighborhood"', 1)[0]
    assert f"<td>{thousands}</td>" in by_category
