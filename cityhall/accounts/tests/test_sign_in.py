"""Signing in to the city profile over HTTP: codes by email, staff two factors, no account enumeration."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from cityhall.accounts.models import Role, User
from cityhall.accounts.tests.helpers import code_from

pytestmark = pytest.mark.django_db


def test_a_resident_signs_up_with_an_email_alone_and_confirms_it_with_a_code(client):
    response = client.post("/accounts/signup/", {"email": "newcomer@example.org"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["newcomer@example.org"]
    response = client.post(response["Location"], {"code": code_from(message)}, follow=True)
    assert response.status_code == 200
    user = User.objects.get(email="newcomer@example.org")
    assert user.role == Role.RESIDENT and not user.has_usable_password()
    assert response.context["user"] == user


def test_a_known_resident_signs_in_with_a_one_time_code(client, people):
    response = client.post("/accounts/login/code/", {"email": "resident@example.org"})
    assert response.status_code == 302
    (message,) = mail.outbox
    response = client.post(response["Location"], {"code": code_from(message)}, follow=True)
    assert response.context["user"] == people["resident"]


def test_signing_in_switches_the_site_to_the_language_of_the_profile(client, people):
    User.objects.filter(pk=people["resident"].pk).update(language="es")
    response = client.post("/accounts/login/code/", {"email": "resident@example.org"})
    (message,) = mail.outbox
    response = client.post(response["Location"], {"code": code_from(message)}, follow=True)
    assert response.context["user"] == people["resident"]
    assert client.cookies["django_language"].value == "es"
    assert 'lang="es"' in client.get("/").content.decode()


def test_an_account_still_on_the_default_language_keeps_the_browsers(people):
    browser = Client(headers={"accept-language": "es"})
    response = browser.post("/accounts/login/code/", {"email": "resident@example.org"})
    (message,) = mail.outbox
    browser.post(response["Location"], {"code": code_from(message)})
    assert "django_language" not in browser.cookies
    assert 'lang="es"' in browser.get("/").content.decode()


def test_a_wrong_code_signs_nobody_in(client, people):
    response = client.post("/accounts/login/code/", {"email": "resident@example.org"})
    wrong = client.post(response["Location"], {"code": "AAAAAA"})
    assert wrong.status_code == 200 and wrong.context["user"].is_anonymous


def same_page(response, email: str) -> str:
    """The page with the address typed and the per-visitor CSRF token taken out."""
    text = response.content.decode().replace(email, "ADDRESS")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


@pytest.mark.parametrize("path", ["/accounts/login/code/", "/accounts/password/reset/", "/accounts/signup/"])
def test_the_answer_does_not_tell_whether_an_account_exists(people, path):
    """Someone probing addresses learns nothing: the same redirects and the same page either way."""
    answers = {}
    for email in ("resident@example.org", "nobody-here@example.org"):
        response = Client().post(path, {"email": email}, follow=True)
        chain = [(url.replace(email, "ADDRESS"), status) for url, status in response.redirect_chain]
        answers[email] = (response.status_code, chain, same_page(response, email))
    assert answers["resident@example.org"] == answers["nobody-here@example.org"]


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, people, santa_monica):
    newcomer = User.objects.create_user("new.agent@example.org", None, role=Role.AGENT, is_staff=True)
    client.force_login(newcomer)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/"
    client.force_login(people["admin"])  # the people fixture's staff have TOTP
    assert client.get("/admin/").status_code == 200


def test_residents_are_not_asked_for_a_second_factor_on_their_own_pages(client, people):
    client.force_login(people["resident"])
    assert client.get("/").status_code == 200
    assert client.get("/accounts/email/").status_code == 200


def test_passwords_are_hashed_with_argon2(people):
    user = people["resident"]
    user.set_password("a long enough passphrase")
    assert user.password.startswith("argon2")
