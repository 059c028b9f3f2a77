"""The Open311 API speaks English unless the client asks for another language with Accept-Language."""

from __future__ import annotations

import json

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


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("santa_monica")
def test_through_the_production_chain_the_api_speaks_the_client_s_language_and_never_the_last_page_s():
    """The Open311 chain is short (config/wsgi.py): it must still read Accept-Language, and a worker that
    has just served a page in Spanish must answer the next client, who asks for nothing, in English."""
    from .helpers import call_wsgi

    def name_of_potholes(**headers: str) -> str:
        answer = call_wsgi(f"{BASE}services.json", environ=headers)
        assert answer.status_code == 200
        assert "accept-language" in answer.get("Vary", "").lower()
        return {row["service_code"]: row["service_name"] for row in json.loads(answer.content)}["potholes"]

    assert name_of_potholes(HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9") == "Baches"
    assert call_wsgi("/report", environ={"HTTP_ACCEPT_LANGUAGE": "es"}).status_code == 200  # a page in Spanish
    assert name_of_potholes() == "Potholes"
    assert name_of_potholes(HTTP_ACCEPT_LANGUAGE="fr-FR, es;q=0.5") == "Baches"  # the first it speaks
    assert name_of_potholes(HTTP_ACCEPT_LANGUAGE="fr") == "Potholes"
