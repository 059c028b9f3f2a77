"""Failed sign-ins are throttled (ACCOUNT_RATE_LIMITS) and each one is logged without the address or password."""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.test import Client

from cityhall.accounts.models import FailedSignIn, User
from cityhall.accounts.sign_in_log import email_fingerprint
from cityhall.accounts.tests.helpers import code_from

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough passphrase"
TOO_MANY = "Too many failed login attempts"


@pytest.fixture
def with_password(people, settings):
    """The resident and a neighbour with passwords (hashed fast: the hasher is not what is tested here)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for key in ("resident", "other_resident"):
        people[key].set_password(PASSWORD)
        people[key].save()
    return people


def sign_in(client: Client, email: str, password: str):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_after_five_wrong_passwords_the_account_is_closed_to_guessing_even_with_the_right_one(client, with_password):
    resident = with_password["resident"]
    for _attempt in range(5):
        wrong = sign_in(client, resident.email, "not the password")
        assert wrong.status_code == 200 and "not correct" in wrong.content.decode()
    refused = sign_in(client, resident.email, PASSWORD)
    assert refused.status_code == 200 and TOO_MANY in refused.content.decode()
    assert refused.context["user"].is_anonymous
    resident.refresh_from_db()
    assert resident.last_login is None and resident.check_password(PASSWORD)
    # Only that account is closed: a neighbour signing in from the same address gets in.
    neighbour = sign_in(client, with_password["other_resident"].email, PASSWORD)
    assert neighbour.status_code == 302
    assert FailedSignIn.objects.filter(user=resident).count() == 5  # refusals by the limit go to the log only


def test_a_fourth_code_request_for_one_address_within_a_minute_sends_no_email(people):
    for _request in range(3):  # each from a fresh browser, as someone scripting it would
        assert Client().post("/accounts/login/code/", {"email": "resident@example.org"}).status_code == 302
    refused = Client().post("/accounts/login/code/", {"email": "resident@example.org"})
    assert refused.status_code == 200 and TOO_MANY in refused.content.decode()
    assert len(mail.outbox) == 3


def test_the_twenty_first_sign_up_from_one_address_within_a_minute_gets_the_too_many_page(santa_monica):
    for number in range(20):
        assert Client().post("/accounts/signup/", {"email": f"new{number}@example.org"}).status_code == 302
    refused = Client().post("/accounts/signup/", {"email": "one.more@example.org"})
    assert refused.status_code == 429 and "Too many attempts" in refused.content.decode()
    assert not User.objects.filter(email="one.more@example.org").exists()
    assert len(mail.outbox) == 20


def test_a_wrong_password_is_logged_with_a_fingerprint_and_the_client_address_only(client, with_password, caplog):
    with caplog.at_level(logging.WARNING, logger="cityhall.accounts.sign_in"):
        sign_in(client, "resident@example.org", "hunter2-wrong")
    (record,) = [r for r in caplog.records if r.name == "cityhall.accounts.sign_in"]
    line = record.getMessage()
    resident = with_password["resident"]
    assert f"method=password email={email_fingerprint('resident@example.org')} account={resident.pk}" in line
    assert "ip=127.0.0.1" in line and " at=20" in line
    assert "resident@example.org" not in line and "hunter2" not in line
    failed = FailedSignIn.objects.get()
    assert (failed.user, failed.ip, failed.method) == (resident, "127.0.0.1", FailedSignIn.Method.PASSWORD)


def test_a_wrong_code_and_a_wrong_second_factor_are_logged_too(client, people, caplog):
    start = client.post("/accounts/login/code/", {"email": "agent@example.org"})
    with caplog.at_level(logging.WARNING, logger="cityhall.accounts.sign_in"):
        client.post(start["Location"], {"code": "WRONG123"})
        after_code = client.post(start["Location"], {"code": code_from(mail.outbox[-1])})
        assert after_code["Location"] == "/accounts/2fa/authenticate/"
        client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    lines = [r.getMessage() for r in caplog.records if r.name == "cityhall.accounts.sign_in"]
    assert [line.split()[2] for line in lines] == ["method=code", "method=second_factor"]
    assert all(f"account={people['agent'].pk}" in line for line in lines)


def test_an_admin_finds_failed_sign_ins_by_address(client, with_password):
    sign_in(Client(), "resident@example.org", "wrong")
    sign_in(Client(), "nobody@example.org", "wrong")
    client.force_login(with_password["admin"])
    page = client.get("/admin/accounts/failedsignin/", {"q": "Nobody@Example.org"})
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [FailedSignIn.objects.get(user=None)]


def test_the_admin_has_no_sign_in_of_its_own_to_guess_at(client, santa_monica):
    """Its login page would skip the limits and the second factor: it sends people to ours instead."""
    answer = client.post("/admin/login/", {"username": "admin@example.org", "password": "guess"})
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/?next=")
    assert not FailedSignIn.objects.exists()  # nothing was even tried
