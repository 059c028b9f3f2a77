"""allauth's pages in the site's words: "Sign in" and "Keep me signed in on this device", in both languages."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def title_of(html: str) -> str:
    return re.search(r"<title>\s*(.*?)\s*</title>", html, re.S).group(1)


def text_of(html: str) -> str:
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_the_sign_in_page_says_sign_in_and_keep_me_signed_in(client):
    html = client.get("/accounts/login/").content.decode()
    assert title_of(html) == "Sign in" and "Sign In" not in html and "Remember Me" not in html
    text = text_of(html)
    assert text.strip().startswith("Sign in No account yet?")  # the heading
    assert " Keep me signed in on this device</label>" in html  # no colon; the box sits inside its label
    assert "Email:" not in text and "Create an account" in text


def test_the_sign_in_pages_have_the_site_title_in_spanish(client):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Mantener la sesión iniciada en este dispositivo" in html and "Cree una cuenta" in html
    assert title_of(html) == "Iniciar sesión"
    code = client.get("/accounts/login/code/").content.decode()
    assert title_of(code) == "Sign in" and "Sign In" not in code


def test_the_spanish_sign_in_page_says_usted_and_llave_de_acceso(client):
    """allauth's own Spanish says "Envíame" (tú) and "passkey"; the site's catalogue (LOCALE_PATHS) overrides it."""
    text = text_of(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="es").content.decode())
    assert "Iniciar sesión con una llave de acceso" in text and "Enviarme un código de inicio de sesión" in text
    assert "passkey" not in text.lower() and "Envíame" not in text


def test_keep_me_signed_in_still_works(client, people):
    people["resident"].set_password("a long enough secret 123")
    people["resident"].save()
    form = {"login": people["resident"].email, "password": "a long enough secret 123", "remember": "on"}
    client.post("/accounts/login/", form)
    assert client.session.get_expire_at_browser_close() is False
