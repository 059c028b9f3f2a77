"""The Open311 API speaks English unless the client asks for another language with Accept-Language."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

BASE = "/open311/v2/"


def _names(client, **headers) -> dict[str, str]:
    rows = client.get(f"{BASE}services.json", **headers).json()
    return {row["service_code"]: row["service_name"] for row in rows}


def test_the_service_list_is_english_by_default_and_spanish_when_asked_and_never_mixed_up(client, santa_monica):
    assert _names(client)["potholes"] == "Potholes"
    spanish = _names(client, HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert spanish["potholes"] == "Baches"
    # The list is remembered for a few seconds per process: once per language, never one for the other.
    assert _names(client)["potholes"] == "Potholes"
    assert _names(client, HTTP_ACCEPT_LANGUAGE="es")["streetlights"] == "Alumbrado público"


def test_a_service_definition_reads_its_questions_in_the_language_asked(client, santa_monica):
    english = client.get(f"{BASE}services/potholes.json").json()
    spanish = client.get(f"{BASE}services/potholes.json", HTTP_ACCEPT_LANGUAGE="es").json()
    size = {a["code"]: a for a in english["attributes"]}["SIZE"]
    tamano = {a["code"]: a for a in spanish["attributes"]}["SIZE"]
    assert size["description"] == "How big is the pothole?"
    assert tamano["description"] == "¿Qué tan grande es el bache?"
    assert [v["key"] for v in tamano["values"]] == [v["key"] for v in size["values"]]  # keys never translated
    assert tamano["values"][0]["name"] == "Más chico que un plato"
