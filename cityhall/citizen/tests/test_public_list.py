"""The public list and its map data: filters, pages, a fixed number of queries, public fields only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.requests.tests.builders import OCEAN_PARK, put_in_status, submit
from cityhall.requests.workflow import OPEN, STATUSES, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_requests(service, people):
    potholes = [submit(service("potholes"), description=f"Pothole {n}") for n in range(3)]
    graffiti = submit(
        service("graffiti-public-property"),
        at=OCEAN_PARK,
        contact=None,
        reporter=people["resident"],
        description="Tag in Ocean Park",
    )
    return potholes, graffiti


def listing(client, **query):
    return client.get(reverse("citizen:list"), query)


def test_lists_recent_requests_without_reporter_details(client, city_requests):
    potholes, graffiti = city_requests
    html = listing(client).content.decode()
    for request in [*potholes, graffiti]:
        assert f"#{request.public_id}" in html
    assert "someone@example.org" not in html and "resident@example.org" not in html
    assert html.index(graffiti.public_id) < html.index(potholes[0].public_id)  # newest first


def test_filters_by_category_status_and_neighbourhood(client, city_requests, santa_monica):
    potholes, graffiti = city_requests
    html = listing(client, category="potholes").content.decode()
    assert graffiti.public_id not in html and all(p.public_id in html for p in potholes)

    graffiti.refresh_from_db()
    html = listing(client, area=graffiti.zone.slug).content.decode()
    assert graffiti.public_id in html and potholes[0].public_id not in html

    html = listing(client, status="done").content.decode()
    assert "No requests match these filters." in html
    html = listing(client, status="open", category="graffiti-public-property").content.decode()
    assert graffiti.public_id in html and "1 request" in html


def test_an_unknown_filter_value_is_ignored_not_an_error(client, city_requests):
    response = listing(client, category="no-such-thing", status="weird", page="x")
    assert response.status_code == 200 and city_requests[1].public_id in response.content.decode()


def test_pages_of_twenty_with_links_that_keep_the_filters(client, service):
    for n in range(23):
        submit(service("potholes"), description=f"Pothole {n}")
    first = listing(client, category="potholes").content.decode()
    assert first.count('class="requests-list__item"') == 20 and "Page 1 of 2" in first
    assert "?category=potholes&amp;page=2" in first
    second = listing(client, category="potholes", page=2).content.decode()
    assert second.count('class="requests-list__item"') == 3


def test_the_number_of_queries_does_not_grow_with_the_rows_shown(client, service, django_assert_max_num_queries):
    submit(service("potholes"))
    # The city and its time zone, the filters' choices (2), the count, the page.
    with django_assert_max_num_queries(6):
        listing(client)
    for n in range(25):
        submit(service("graffiti-public-property"), description=f"Tag {n}")
    with django_assert_max_num_queries(6):
        html = listing(client).content.decode()
    assert html.count('class="requests-list__item"') == 20


def test_private_categories_are_never_listed(client, service):
    private = service("potholes")
    private.is_private = True
    private.save(update_fields=["is_private"])
    hidden = submit(private)
    assert hidden.public_id not in listing(client).content.decode()
    markers = client.get(reverse("citizen:list_markers")).json()["markers"]
    assert hidden.public_id not in {m["id"] for m in markers}


def test_map_markers_carry_public_fields_only_and_follow_the_filters(client, city_requests):
    _potholes, graffiti = city_requests
    body = client.get(reverse("citizen:list_markers"), {"category": "graffiti-public-property"}).json()
    assert [marker["id"] for marker in body["markers"]] == [graffiti.public_id]
    marker = body["markers"][0]
    assert set(marker) == {"id", "lat", "lng", "category", "status", "colour", "open", "requested", "url"}
    assert marker["url"] == reverse("citizen:track", args=[graffiti.public_id]) and marker["open"] is True


def test_the_list_works_in_spanish(client, city_requests):
    html = client.get(reverse("citizen:list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Solicitudes en la ciudad" in html and "Barrio" in html and "Leyenda del mapa" in html
    # The map's cluster labels (filled in by the script) are Spanish too.
    assert 'data-cluster-zoom="%(count)s solicitudes muy cerca: seleccione para acercar el mapa"' in html
    assert 'data-cluster-list="%(count)s solicitudes en el mismo lugar: seleccione para verlas"' in html


def test_open_requests_by_default_and_a_filter_offers_done_and_all(client, city_requests, public_works):
    potholes, graffiti = city_requests
    closed = put_in_status(potholes[0], Status.CLOSED, department=public_works, assignee=None)
    default = listing(client).content.decode()
    assert closed.public_id not in default and graffiti.public_id in default and "3 requests" in default
    assert '<option value="open" selected>' in default
    # A filter link without a status (a category picked from another page) still means open ones.
    assert closed.public_id not in listing(client, category="potholes").content.decode()
    assert closed.public_id in listing(client, status="done").content.decode()
    everything = listing(client, status="all").content.decode()
    assert closed.public_id in everything and graffiti.public_id in everything and "4 requests" in everything

    markers = {m["id"] for m in client.get(reverse("citizen:list_markers")).json()["markers"]}
    assert closed.public_id not in markers and graffiti.public_id in markers
    markers = {m["id"] for m in client.get(reverse("citizen:list_markers"), {"status": "all"}).json()["markers"]}
    assert closed.public_id in markers


def test_the_map_key_uses_the_badge_colours_of_the_statuses_shown(client, city_requests):
    html = listing(client).content.decode()
    key = html[html.index('class="map-legend"') : html.index("</ul>", html.index('class="map-legend"'))]
    for status in OPEN:
        assert f'data-status="{status.value}" data-colour="{STATUSES[status].colour}"' in key
    assert 'data-status="closed"' not in key  # the default shows open requests only
    key_all = listing(client, status="all").content.decode()
    assert f'data-status="closed" data-colour="{STATUSES[Status.CLOSED].colour}"' in key_all
    # The list's badges draw the same colour for the same status.
    graffiti = city_requests[1]
    graffiti.refresh_from_db()
    badge = html[html.index(f'class="status-badge" data-status="{graffiti.status}"') :]
    assert f'fill="{STATUSES[Status(graffiti.status)].colour}"' in badge[: badge.index("</p>")]
