"""The admin speaks the clerk's language and names the city: model names, field labels and help in Spanish.

Every model the admin shows says its name through a translation, so a new model cannot arrive in English only.
"""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.utils import translation
from django.utils.functional import Promise

pytestmark = pytest.mark.django_db

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es"}
# Names that are the same word in both languages (none yet); an entry here says it was checked.
SAME_IN_BOTH: set[str] = set()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_admin_index_in_spanish_names_the_apps_models_in_spanish(client, people):
    client.force_login(people["admin"])
    page = _text(client.get("/admin/", **SPANISH).content.decode())

    for spanish in (
        "Solicitudes de servicio",  # requests
        "Servicios",  # catalogue
        "Cuadrillas",
        "Plantillas de respuesta",
        "Claves de API",  # partners
        "Entregas de webhook",
        "Servicios digitales",  # applications
        "Versiones del formulario",
        "Trámites",
    ):
        assert spanish in page, spanish
    for english in ("Service requests", "Reply templates", "API keys", "Digital services", "Form versions"):
        assert english not in page, english


def test_a_change_form_in_spanish_labels_and_explains_its_fields_in_spanish(client, people, service):
    client.force_login(people["admin"])
    potholes = service("potholes")
    page = _text(client.get(f"/admin/catalogue/service/{potholes.pk}/change/", **SPANISH).content.decode())

    for spanish in ("Horas para resolver", "Requiere foto para cerrar", "Palabras de búsqueda", "Reglas de la ciudad"):
        assert spanish in page, spanish
    assert "Horas hábiles permitidas para resolver; vacío significa sin compromiso." in page
    assert "Sla hours" not in page and "Business hours allowed to resolve" not in page


def test_the_header_names_the_city_in_the_readers_language(client, people):
    client.force_login(people["admin"])
    english = _text(client.get("/admin/").content.decode())
    spanish = _text(client.get("/admin/", **SPANISH).content.decode())

    assert "City of Santa Monica · administration" in english
    assert "Ciudad de Santa Mónica · administración" in spanish
    assert "CityHall" not in english and "CityHall" not in spanish


def test_while_no_city_is_set_up_the_header_says_city_services(client, people, santa_monica):
    client.force_login(people["admin"])
    santa_monica.delete()

    assert "City services · administration" in _text(client.get("/admin/").content.decode())


def _registered_models() -> list[type]:
    return sorted(
        (model for model in admin.site._registry if model.__module__.startswith("cityhall.")),
        key=lambda model: model._meta.label,
    )


@pytest.mark.parametrize("model", _registered_models(), ids=lambda model: model._meta.label)
def test_every_model_in_the_admin_names_itself_through_a_translation(model):
    declared = model._meta.original_attrs
    for key in ("verbose_name", "verbose_name_plural"):
        name = declared.get(key)
        assert isinstance(name, Promise), f"{model._meta.label}: Meta.{key} is not a lazy translation"
        english = str(name)
        with translation.override("es"):
            spanish = str(name)
        assert spanish != english or english in SAME_IN_BOTH, f"{model._meta.label}: no Spanish for {english!r}"
