"""The profile page over HTTP: details, language, saved places, claiming requests, the security links."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cityhall.accounts.models import SavedPlace
from cityhall.accounts.selectors import saved_places_for
from cityhall.accounts.services import MAX_SAVED_PLACES
from cityhall.requests import device_reports
from cityhall.requests.services import Contact
from cityhall.requests.tests.builders import CITY_HALL, DOWNTOWN_LA, OCEAN_PARK, submit

pytestmark = pytest.mark.django_db

PROFILE = "/profile/"


@pytest.fixture
def signed_in(client, zelda):
    client.force_login(zelda.user)
    return client


def test_the_profile_needs_a_signed_in_person(client, santa_monica):
    response = client.get(PROFILE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert client.post(reverse("profile:delete"), {"email": "x@example.org"}).status_code == 302


def test_the_header_links_to_the_profile_and_it_links_to_the_account_security_pages(signed_in, zelda):
    page = signed_in.get(PROFILE).content.decode()
    assert f'<a href="{PROFILE}">My profile</a>' in page  # the header, on every page
    for name in ("account_email", "account_set_password", "mfa_index", "usersessions_list", "profile:export"):
        assert f'href="{reverse(name)}"' in page, name
    assert "sign out everywhere" in page
    assert zelda.email in page  # "Signed in as …": only on her own page


def test_saving_details_and_spanish_switches_the_site_to_spanish(signed_in, zelda):
    response = signed_in.post(PROFILE, {"name": "Zelda Q.", "phone": "(310) 555-0199", "language": "es"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    zelda.user.refresh_from_db()
    assert (zelda.user.name, zelda.user.phone, zelda.user.language) == ("Zelda Q.", "(310) 555-0199", "es")

    page = signed_in.get(PROFILE).content.decode()
    assert "Su perfil municipal" in page and "Sus datos se han guardado." in page


def test_the_spanish_profile_speaks_to_the_resident_as_usted(signed_in):
    """The site says "usted" to residents everywhere; the profile once said "tú" ("Tu perfil", "tienes")."""
    page = signed_in.get(PROFILE, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    usted = ("Su perfil municipal", "Sus solicitudes", "Sus datos", "Dónde tiene la sesión", "Solo usted los ve")
    tu = ("Tu perfil", "Tus solicitudes", "Tus datos", "tienes", "tu contraseña", "reportas", "Solo tú")
    assert [words for words in usted if words not in page] == []
    assert [words for words in tu if words in page] == []


def test_a_bad_phone_number_is_explained_and_nothing_changes(signed_in, zelda):
    response = signed_in.post(PROFILE, {"name": "Someone else", "phone": "call me", "language": "en"})
    assert response.status_code == 400
    assert "Enter a phone number of 7 to 15 digits" in response.content.decode()
    zelda.user.refresh_from_db()
    assert (zelda.user.name, zelda.user.phone) == (zelda.name, zelda.phone)


def add_place(client, **fields):
    return client.post(reverse("profile:place_add"), {"kind": "home", "label": "", "address": "", **fields})


def test_saved_places_inside_the_city_are_kept_and_offered_home_first(signed_in, zelda):
    assert add_place(signed_in, kind="other", label="Gym", lat=OCEAN_PARK[0], lng=OCEAN_PARK[1]).status_code == 302
    assert (
        add_place(signed_in, kind="home", address="1685 Main St", lat=CITY_HALL[0], lng=CITY_HALL[1]).status_code == 302
    )
    # A second home replaces the first rather than adding another.
    assert add_place(signed_in, kind="home", address="1 Pier", lat=OCEAN_PARK[0], lng=OCEAN_PARK[1]).status_code == 302

    places = saved_places_for(zelda.user)
    assert [(str(place), place.address) for place in places] == [("Home", "1 Pier"), ("Gym", "")]
    page = signed_in.get(PROFILE).content.decode()
    assert "1 Pier" in page and "Gym" in page


def test_a_place_outside_the_city_or_without_a_name_is_refused(signed_in, zelda):
    outside = add_place(signed_in, lat=DOWNTOWN_LA[0], lng=DOWNTOWN_LA[1])
    assert outside.status_code == 400 and "outside the city" in outside.content.decode()
    unnamed = add_place(signed_in, kind="other", lat=CITY_HALL[0], lng=CITY_HALL[1])
    assert unnamed.status_code == 400 and "Give this place a name" in unnamed.content.decode()
    assert not SavedPlace.objects.exists()


def test_nobody_removes_someone_elses_place(client, signed_in, zelda, people):
    add_place(signed_in, lat=CITY_HALL[0], lng=CITY_HALL[1])
    place = SavedPlace.objects.get()
    client.force_login(people["resident"])
    client.post(reverse("profile:place_remove", args=[place.pk]))
    assert SavedPlace.objects.filter(pk=place.pk).exists()
    client.force_login(zelda.user)
    client.post(reverse("profile:place_remove", args=[place.pk]))
    assert not SavedPlace.objects.filter(pk=place.pk).exists()


def test_saved_places_for_reads_once_and_is_empty_for_anyone_signed_out(zelda, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    assert saved_places_for(AnonymousUser()) == []
    with django_assert_num_queries(1):
        saved_places_for(zelda.user)


def with_device_cookie(client, pairs):
    response = HttpResponse()
    device_reports.write_device_reports(response, pairs)
    client.cookies[device_reports.COOKIE_NAME] = response.cookies[device_reports.COOKIE_NAME].value


def test_requests_made_with_her_email_or_on_this_phone_are_offered_and_claimed(signed_in, zelda, service):
    by_email = submit(service("potholes"), contact=Contact(email=zelda.work_email))
    on_phone = submit(service("potholes"), contact=Contact())
    someone_elses = submit(service("potholes"), contact=Contact(email="other@example.org"))
    with_device_cookie(signed_in, [(on_phone.public_id, on_phone.tracking_token)])

    page = signed_in.get(PROFILE).content.decode()
    assert "We found 2 requests made with your email or on this device" in page
    assert on_phone.public_id in page and someone_elses.public_id not in page

    response = signed_in.post(reverse("profile:claim"), follow=True)
    assert "2 requests added to your profile." in response.content.decode()
    assert set(zelda.user.reported_requests.all()) == {by_email, on_phone}
    assert "We found" not in signed_in.get(PROFILE).content.decode()


def test_the_page_costs_the_same_queries_however_many_requests_and_places(signed_in, zelda, service):
    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(PROFILE).status_code == 200
        return len(queries)

    submit(service("potholes"), contact=Contact(email=zelda.email))
    add_place(signed_in, lat=CITY_HALL[0], lng=CITY_HALL[1])
    with_one_each = page_queries()
    for number in range(4):
        submit(service("graffiti-public-property"), contact=Contact(email=zelda.email))
        add_place(signed_in, kind="other", label=f"Place {number}", lat=CITY_HALL[0], lng=CITY_HALL[1])
    assert page_queries() <= with_one_each


def test_there_is_a_limit_of_ten_places(signed_in, zelda):
    for number in range(MAX_SAVED_PLACES):
        add_place(signed_in, kind="other", label=f"Place {number}", lat=CITY_HALL[0], lng=CITY_HALL[1])
    response = add_place(signed_in, kind="other", label="One more", lat=CITY_HALL[0], lng=CITY_HALL[1])
    assert response.status_code == 400 and "You can save up to 10 places" in response.content.decode()
    assert SavedPlace.objects.filter(user=zelda.user).count() == MAX_SAVED_PLACES


def test_the_spanish_page_calls_her_home_casa_and_its_button_quitar(signed_in):
    """The admin's catalogue has "Home" (its "Inicio") and "Remove" ("Eliminar") too, and once won here."""
    add_place(signed_in, address="1685 Main St", lat=CITY_HALL[0], lng=CITY_HALL[1])
    page = signed_in.get(PROFILE, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "<strong>Casa</strong>" in page and ">Casa</option>" in page  # the place, and the kind to choose
    assert ">Quitar</button>" in page and ">Eliminar</button>" not in page
