"""allauth's pages read like the rest of the site: sentence case, labels without colons, and buttons on the
two-factor page that say what they do, in English and Spanish (locale/en, locale/es, templates/)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client


def texts(html: str, tag: str) -> list[str]:
    found = re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", html.split("<main", 1)[1], re.S)
    return [" ".join(unescape(re.sub("<[^>]+>", "", one)).split()) for one in found]


@pytest.mark.parametrize(
    ("language", "path", "heading", "button"),
    [
        ("en", "/accounts/signup/", "Create an account", "Create an account"),
        ("es", "/accounts/signup/", "Crear una cuenta", "Crear una cuenta"),
        ("en", "/accounts/password/reset/", "Reset your password", "Reset my password"),
        ("es", "/accounts/password/reset/", "Restablecer la contraseña", "Restablecer mi contraseña"),
        ("en", "/accounts/login/code/", "Send me a sign-in code", "Send me a code"),
        ("es", "/accounts/login/code/", "Enviarme un código de inicio de sesión", "Enviarme un código"),
        ("en", "/accounts/login/", "Sign in", "Sign in"),
        ("es", "/accounts/login/", "Iniciar sesión", "Iniciar sesión"),
    ],
)
def test_sign_in_pages_speak_in_sentence_case_with_plain_labels(db, language, path, heading, button):
    html = Client(headers={"accept-language": language}).get(path).content.decode()
    assert texts(html, "h1") == [heading]
    assert button in texts(html, "button")
    labels = texts(html, "label")
    assert labels and not [label for label in labels if label.endswith(":")], labels


@pytest.mark.parametrize(
    ("language", "buttons"),
    [
        ("en", ["Turn off the authenticator app", "Add a security key", "Make new recovery codes"]),
        ("es", ["Desactivar la aplicación de autenticación", "Añadir una llave de seguridad",
                "Crear nuevos códigos de recuperación"]),
    ],
)  # fmt: skip
def test_the_two_factor_page_s_buttons_say_what_they_do(people, language, buttons):
    staff = Client(headers={"accept-language": language})
    staff.force_login(people["staff"])  # the people fixture's staff have an authenticator app
    html = staff.get("/accounts/2fa/").content.decode()
    links = texts(html, "a")
    assert all(button in links for button in buttons), links
    assert not {"Activate", "Deactivate", "Add", "Generate", "Activar", "Añadir", "Generar"} & set(links)
    assert texts(html, "h1") == ["Two-factor authentication" if language == "en" else "Autenticación de doble factor"]


@pytest.mark.parametrize(("language", "button"), [("en", "Set up an authenticator app"),
                                                  ("es", "Configurar una aplicación de autenticación")])  # fmt: skip
def test_a_resident_without_a_second_factor_is_offered_to_set_one_up(people, language, button):
    resident = Client(headers={"accept-language": language})
    resident.force_login(people["resident"])
    assert button in texts(resident.get("/accounts/2fa/").content.decode(), "a")
