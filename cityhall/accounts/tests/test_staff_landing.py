"""Where a sign-in lands, and a new staff member's second factor without a second password prompt (HTTP)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail

from cityhall.accounts.emails import mark_email_verified
from cityhall.accounts.models import Role, User
from cityhall.accounts.tests.helpers import code_from, current_totp_code, totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough passphrase"


@pytest.fixture
def quick_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # Argon2 costs seconds


@pytest.fixture
def newcomer(santa_monica, quick_hashing) -> User:
    """A staff member an admin has just created, with a password and no second factor yet."""
    user = User.objects.create_user("new.agent@example.org", PASSWORD, role=Role.AGENT)
    mark_email_verified(user)
    return user


def sign_in_by_code(client, email: str, next_url: str = ""):
    query = f"?next={next_url}" if next_url else ""
    response = client.post(f"/accounts/login/code/{query}", {"email": email})
    return client.post(response["Location"], {"code": code_from(mail.outbox[-1])})


def test_staff_land_on_the_page_of_their_role_after_signing_in(client, people):
    response = sign_in_by_code(client, people["agent"].email)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    response = client.post(response["Location"], {"code": current_totp_code(people["agent"])})
    assert response["Location"] == "/staff/"
    assert client.get("/staff/")["Location"] == "/staff/triage/"


def test_a_crew_member_lands_on_my_work(client, people):
    sign_in_by_code(client, people["crew"].email)
    response = client.post("/accounts/2fa/authenticate/", {"code": current_totp_code(people["crew"])}, follow=True)
    assert response.redirect_chain[-1][0] == "/staff/my-work/"


def test_residents_land_where_they_were_going(client, people):
    assert sign_in_by_code(client, people["resident"].email)["Location"] == "/"
    client.logout()
    assert sign_in_by_code(client, people["resident"].email, "/profile/")["Location"] == "/profile/"


def test_an_explicit_next_wins_for_staff_too(client, people):
    sign_in_by_code(client, people["supervisor"].email, "/staff/supervisor/")
    response = client.post("/accounts/2fa/authenticate/", {"code": current_totp_code(people["supervisor"])})
    assert response["Location"] == "/staff/supervisor/"


def test_a_new_staff_member_activates_an_authenticator_without_typing_the_password_again(client, newcomer):
    response = client.post("/accounts/login/", {"login": newcomer.email, "password": PASSWORD}, follow=True)
    assert [url for url, _ in response.redirect_chain] == ["/staff/", "/accounts/2fa/"]
    activate = client.get("/accounts/2fa/totp/activate/")
    assert activate.status_code == 200  # not sent to /accounts/reauthenticate/: the sign-in was just now
    secret = activate.context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)}, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/2fa/recovery-codes/"
    assert b'href="/staff/"' in response.content and "Continue to your work" in response.content.decode()
    assert client.get("/staff/", follow=True).redirect_chain[-1][0] == "/staff/triage/"


@pytest.mark.parametrize(("language", "city"), [("en", "City of Santa Monica"), ("es", "Ciudad de Santa Mónica")])
def test_the_authenticator_app_shows_the_city_over_the_code(client, newcomer, language, city):
    newcomer.language = language
    newcomer.save(update_fields=["language"])
    client.post("/accounts/login/", {"login": newcomer.email, "password": PASSWORD})
    activate = client.get("/accounts/2fa/totp/activate/")
    scanned = urlsplit(activate.context["totp_url"])  # what the page's QR code encodes
    assert scanned.scheme == "otpauth" and parse_qs(scanned.query)["issuer"] == [city]


def test_a_session_without_a_recent_sign_in_is_asked_for_the_password(client, newcomer):
    client.force_login(newcomer)  # a session that carries no record of signing in, as one hours old
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/")


def test_the_recovery_codes_page_offers_no_staff_workspace_to_residents(client, people, quick_hashing):
    resident = people["resident"]
    resident.set_password(PASSWORD)
    resident.save()
    client.post("/accounts/login/", {"login": resident.email, "password": PASSWORD})
    secret = client.get("/accounts/2fa/totp/activate/").context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)}, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/2fa/recovery-codes/"
    assert "Continue to your work" not in response.content.decode()
