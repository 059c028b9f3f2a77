"""The catalogue speaks the resident's language: group and category names, questions and answers in
Spanish on a Spanish page, and the category search finds Spanish and English words, any case or accent."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from cityhall.catalogue.models import ServiceGroup
from cityhall.requests.tests.builders import submit

pytestmark = pytest.mark.django_db

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es"}


def _text(response) -> str:
    return unescape(response.content.decode())


def _found(client, query: str, **headers) -> list[str]:
    page = client.get("/report", {"q": query}, **headers).content.decode()
    results = page.split("data-results-list", 1)[1].split("</ul>", 1)[0]
    return re.findall(r'href="/report/([^"]+)"', results)


def test_a_spanish_visitor_reads_group_and_category_names_in_spanish(client, santa_monica):
    page = _text(client.get("/report", **SPANISH))
    for spanish in ["Calles y banquetas", "Baches", "Grafiti en propiedad pública", "Alumbrado público"]:
        assert spanish in page
    for english in ["Streets and Sidewalks", ">Potholes<", "Graffiti - public property"]:
        assert english not in page
    english_page = _text(client.get("/report"))
    assert "Streets and Sidewalks" in english_page and ">Potholes<" in english_page and "Baches" not in english_page


def test_a_spanish_visitor_reads_the_questions_and_answers_of_the_pothole_form_in_spanish(client, santa_monica):
    page = _text(client.get("/report/potholes", **SPANISH))
    assert "<h1>Baches</h1>" in page
    for spanish in [
        "¿Qué tan grande es el bache?",
        "Más chico que un plato",
        "Hasta del tamaño de una llanta de carro",
        "¿Está causando alguno de estos problemas?",
        "Peligro para ciclistas",
    ]:
        assert spanish in page
    assert "How big is the pothole?" not in page and "Smaller than a plate" not in page
    english = _text(client.get("/report/potholes"))
    assert "How big is the pothole?" in english and "¿Qué tan grande es el bache?" not in english


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bache", {"potholes"}),
        ("BACHÉ", {"potholes"}),
        ("grafiti", {"graffiti-public-property", "graffiti-private-property"}),
        ("pintas", {"graffiti-public-property", "graffiti-private-property"}),
        ("farola", {"streetlights"}),
        ("luminaria", {"streetlights"}),
        ("alumbrado", {"streetlights"}),
        ("basura", {"refuse-recycling-pick-up", "trash-illegal-dumping", "container-container-placement-issues"}),
        ("ruido", {"barking-dogs", "loud-music", "construction-noise", "leafblowers", "noise-ordinance"}),
        ("pothole", {"potholes"}),
        ("Semaforo", {"signal-timing", "equipment-repair"}),
    ],
)
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_category_search_finds_spanish_and_english_words_in_either_language(
    client, santa_monica, query, expected, language
):
    found = _found(client, query, HTTP_ACCEPT_LANGUAGE=language)
    assert expected <= set(found), (query, found)
    if query.lower() in {"bache", "baché", "farola", "pothole"}:
        assert set(found) == expected


def test_a_search_for_noise_in_spanish_finds_only_noise_categories(client, santa_monica):
    found = _found(client, "ruido", **SPANISH)
    assert "potholes" not in found and "streetlights" not in found
    # Each category's data-search words, which report.js filters on, hold both languages, folded.
    page = client.get("/report", **SPANISH).content.decode()
    words = re.search(r'href="/report/potholes" data-search="([^"]*)"', page)
    assert words is not None
    assert {"potholes", "baches", "bache", "streets", "calles"} <= set(words[1].split())
    lights = re.search(r'href="/report/streetlights" data-search="([^"]*)"', page)
    assert lights is not None
    assert "lampara" in lights[1].split() and "alumbrado" in lights[1].split() and "lámpara" not in lights[1]


def test_editing_the_spanish_name_in_the_admin_shows_on_the_spanish_page_only(client, people, santa_monica):
    group = ServiceGroup.objects.get(jurisdiction=santa_monica, name_en="Streets and Sidewalks")
    client.force_login(people["admin"])
    url = reverse("admin:catalogue_servicegroup_change", args=[group.pk])
    form = client.get(url).content.decode()
    assert 'name="name_en"' in form and 'name="name_es"' in form
    saved = client.post(
        url,
        {
            "jurisdiction": santa_monica.pk,
            "name_en": "Streets and Sidewalks",
            "name_es": "Calles, aceras y banquetas",
            "order": group.order,
            "_save": "Save",
        },
    )
    assert saved.status_code == 302
    client.logout()
    assert "Calles, aceras y banquetas" in _text(client.get("/report", **SPANISH))
    english = _text(client.get("/report"))
    assert "Streets and Sidewalks" in english and "Calles, aceras" not in english


def test_the_public_list_and_its_map_name_categories_in_the_visitors_language(
    client, service, django_assert_max_num_queries
):
    for n in range(25):
        submit(service("potholes"), description=f"Pothole {n}")
    # The Spanish names come with the rows: no query per row to read them.
    with django_assert_max_num_queries(6):
        page = _text(client.get("/requests", **SPANISH))
    items = page.split('class="requests-list__item"')[1:]
    assert len(items) == 20 and all("Baches" in item and "Potholes" not in item for item in items)
    spanish = client.get(reverse("citizen:list_markers"), **SPANISH).json()["markers"]
    english = client.get(reverse("citizen:list_markers")).json()["markers"]
    assert {m["category"] for m in spanish} == {"Baches"} and {m["category"] for m in english} == {"Potholes"}
