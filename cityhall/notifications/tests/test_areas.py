"""Area alerts: watching a neighbourhood or a circle, for some categories; and the public Atom feed of an area."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from cityhall.catalogue.models import Zone
from cityhall.requests.services import Contact
from cityhall.requests.tests.builders import CITY_HALL, OCEAN_PARK, submit

from ..models import AreaAlert, Message
from .helpers import subject_of, text_of
from .test_resident_emails import fix

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def ocean_park(santa_monica) -> Zone:
    return Zone.objects.get(jurisdiction=santa_monica, name__icontains="Ocean Park")


def watch(browser: Client, **fields: object) -> None:
    data = {"area-delivery": "instant", **{f"area-{key}": value for key, value in fields.items()}}
    response = browser.post("/notifications/preferences/areas", data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_resident_watching_a_neighbourhood_hears_of_new_requests_and_resolutions_there(
    service, people, ocean_park, smtp, committed
):
    neighbour = people["other_resident"]
    browser = Client()
    browser.force_login(neighbour)
    watch(browser, kind="zone", zone=ocean_park.pk, services=[service("potholes").pk])

    with committed():
        there = submit(service("potholes"), at=OCEAN_PARK, contact=Contact(email="reporter@example.org"))
        submit(service("potholes"), at=CITY_HALL)  # another neighbourhood
        submit(service("graffiti-public-property"), at=OCEAN_PARK)  # another category
    (new,) = smtp.to(neighbour.email)
    assert subject_of(new) == "New request in an area you watch: Potholes"
    text = text_of(new)
    assert f"#{there.public_id}" in text and "because you watch this area" in text
    assert "reporter@example.org" not in text and "/notifications/preferences" in text

    with committed():
        fix(there, people["crew"], "Patched.")
    assert subject_of(smtp.to(neighbour.email)[-1]) == "Resolved in an area you watch: Potholes"


def test_a_circle_around_a_point_and_no_categories_means_everything_within_it(service, people, smtp, committed):
    neighbour = people["other_resident"]
    browser = Client()
    browser.force_login(neighbour)
    watch(browser, kind="circle", lat=CITY_HALL[0], lng=CITY_HALL[1], radius_m=250)
    alert = AreaAlert.objects.get()
    assert alert.zone is None and alert.radius_m == 250 and alert.min_lat < CITY_HALL[0] < alert.max_lat

    with committed():
        near = submit(service("graffiti-public-property"), at=(CITY_HALL[0] + 0.001, CITY_HALL[1]))  # ~110 m
        submit(service("potholes"), at=(CITY_HALL[0] + 0.004, CITY_HALL[1]))  # ~440 m: outside
    (alert_email,) = smtp.to(neighbour.email)
    assert f"#{near.public_id}" in text_of(alert_email)


def test_the_reporter_watching_their_own_area_hears_once_as_the_reporter(service, people, ocean_park, smtp, committed):
    resident = people["resident"]
    browser = Client()
    browser.force_login(resident)
    watch(browser, kind="zone", zone=ocean_park.pk)
    with committed():
        submit(service("potholes"), at=OCEAN_PARK, reporter=resident)
    (receipt,) = smtp.to(resident.email)
    assert subject_of(receipt).startswith("We received your request")


def test_private_categories_never_alert_anyone(service, people, ocean_park, smtp, committed):
    browser = Client()
    browser.force_login(people["other_resident"])
    watch(browser, kind="zone", zone=ocean_park.pk)
    private = service("potholes")
    private.is_private = True
    private.save(update_fields=["is_private"])
    with committed():
        submit(private, at=OCEAN_PARK)
    assert smtp.to("neighbour@example.org") == []


def test_an_area_form_with_missing_parts_says_what_is_missing(people):
    browser = Client()
    browser.force_login(people["other_resident"])
    response = browser.post("/notifications/preferences/areas", {"area-kind": "circle", "area-delivery": "instant"})
    assert response.status_code == 400
    assert "Give the point" in response.content.decode() and not AreaAlert.objects.exists()


def test_the_neighborhood_list_opens_on_a_prompt_in_the_reader_s_language(people, santa_monica):
    browser = Client()
    browser.force_login(people["resident"])
    for language, prompt in (("en", "Choose a neighborhood"), ("es", "Elija un barrio")):
        page = browser.get("/notifications/preferences", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f'<option value="" selected>{prompt}</option>' in page and "---------" not in page, language


def test_the_area_feed_is_valid_atom_with_new_and_resolved_requests_and_nothing_personal(service, people, ocean_park):
    there = submit(service("potholes"), at=OCEAN_PARK, contact=Contact(name="Ana Reporter", email="ana@example.org"))
    fix(there, people["crew"], "Patched.")
    submit(service("potholes"), at=CITY_HALL)  # outside the area
    graffiti = submit(service("graffiti-public-property"), at=OCEAN_PARK)

    response = Client().get(f"/notifications/areas/zone/{ocean_park.pk}/feed.atom?service=potholes")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert ocean_park.name in feed.findtext(f"{ATOM}title", "")
    assert feed.findtext(f"{ATOM}id", "").endswith(
        f"/notifications/areas/zone/{ocean_park.pk}/feed.atom?service=potholes"
    )
    entries = feed.findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert [title.split(":")[0] for title in titles] == ["Resolved", "New"]  # newest first
    for entry in entries:
        assert entry.find(f"{ATOM}link").get("href").endswith(f"/requests/{there.public_id}")
        assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}updated")
    assert graffiti.public_id not in body
    assert "ana@example.org" not in body and "Ana Reporter" not in body and there.tracking_token not in body

    near = Client().get(f"/notifications/areas/near/feed.atom?lat={OCEAN_PARK[0]}&lng={OCEAN_PARK[1]}&radius_m=250")
    near_entries = ET.fromstring(near.content).findall(f"{ATOM}entry")
    assert len(near_entries) == 3  # both potholes events and the graffiti: all categories
    assert Client().get("/notifications/areas/near/feed.atom?lat=nope").status_code == 404


def test_watching_an_area_daily_holds_the_alerts_for_the_digest(service, people, ocean_park, smtp, committed):
    browser = Client()
    browser.force_login(people["other_resident"])
    watch(browser, kind="zone", zone=ocean_park.pk, delivery="daily")
    with committed():
        submit(service("potholes"), at=OCEAN_PARK)
    assert smtp.to("neighbour@example.org") == []
    assert Message.objects.get(recipient_kind="watcher").status == "held"
