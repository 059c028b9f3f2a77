"""Staff single sign-on through the city's identity provider, over HTTP, against a real OIDC provider on loopback.

The person's browser at the provider is played by `requests`; CityHall is Django's test client.
The provider (tests/oidc_provider/) knows some people with CityHall staff accounts and some without.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount

from cityhall.accounts.emails import mark_email_verified
from cityhall.accounts.models import FailedSignIn, Role, User
from cityhall.accounts.tests.helpers import current_totp_code
from tests.oidc_provider.fixtures import configure_city_sso, identity_provider, sign_in_at_provider

__all__ = ["identity_provider"]  # a fixture, used by name
pytestmark = pytest.mark.django_db

SSO_START = "/accounts/oidc/city/login/"


def sign_in_through_city(client, provider, email: str):
    """Press "Sign in with …" on CityHall, sign in at the provider, return CityHall's answer to the way back."""
    start = client.post(SSO_START, {"process": "login"})
    assert start.status_code == 302 and start["Location"].startswith(provider.issuer), start
    back = urlsplit(sign_in_at_provider(start["Location"], email))
    assert back.path == "/accounts/oidc/city/login/callback/"
    return client.get(f"{back.path}?{back.query}")


def test_unconfigured_there_is_no_city_button_and_the_routes_lead_nowhere(client, santa_monica):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert b"Sign in with" not in page.content.replace(b"Sign in with a passkey", b"")
    assert b"/accounts/oidc/" not in page.content
    assert client.get(SSO_START).status_code == 404
    assert client.post(SSO_START).status_code == 404
    assert client.get("/accounts/oidc/city/login/callback/?code=x&state=y").status_code == 404


def test_configured_the_sign_in_page_offers_the_city_provider(client, santa_monica, settings, identity_provider):
    configure_city_sso(settings, identity_provider)
    page = client.get("/accounts/login/")
    assert "Sign in with Santa Monica ID" in page.content.decode()
    # The button posts to the provider through us; the page's policy lets that form lead there.
    assert identity_provider.issuer.removesuffix("/o") in page["Content-Security-Policy"]


def test_staff_sign_in_through_the_city_then_give_our_own_second_factor(client, people, settings, identity_provider):
    configure_city_sso(settings, identity_provider)
    answer = sign_in_through_city(client, identity_provider, "admin@example.org")
    assert answer.status_code == 302 and answer["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302  # not signed in until the second factor is given

    done = client.post("/accounts/2fa/authenticate/", {"code": current_totp_code(people["admin"])}, follow=True)
    assert done.context["user"] == people["admin"]
    assert client.get("/admin/").status_code == 200
    (link,) = SocialAccount.objects.filter(user=people["admin"])  # connected on first use, by verified address
    assert link.provider == "city"


def test_when_the_citys_mfa_is_trusted_its_sign_in_is_enough(client, people, settings, identity_provider):
    configure_city_sso(settings, identity_provider, trust_mfa=True)
    answer = sign_in_through_city(client, identity_provider, "admin@example.org")
    assert answer.status_code == 302 and answer["Location"] == "/staff/"  # staff land on their workspace
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(("trust_mfa", "admin_page"), [(False, "/accounts/2fa/"), (True, None)])
def test_staff_without_our_second_factor_enrol_unless_the_citys_mfa_is_trusted(
    client, santa_monica, settings, identity_provider, trust_mfa, admin_page
):
    newcomer = User.objects.create_user("new.agent@example.org", None, role=Role.AGENT, is_staff=True)
    mark_email_verified(newcomer)
    configure_city_sso(settings, identity_provider, trust_mfa=trust_mfa)
    answer = sign_in_through_city(client, identity_provider, "new.agent@example.org")
    assert answer.status_code == 302 and answer["Location"] == "/staff/"
    admin = client.get("/admin/")
    if admin_page:
        assert admin.status_code == 302 and admin["Location"] == admin_page
    else:
        assert admin.status_code == 200


@pytest.mark.parametrize(
    "email",
    [
        "stranger@example.org",  # no CityHall account at all
        "resident@example.org",  # a resident's account: the city's sign-in is for staff
        "agent@example.org",  # a staff account, but the provider does not vouch for the address
    ],
)
def test_a_sign_in_that_leads_to_no_staff_account_is_refused_and_changes_nothing(
    client, people, settings, identity_provider, email
):
    configure_city_sso(settings, identity_provider)
    users_before = User.objects.count()
    answer = sign_in_through_city(client, identity_provider, email)
    assert answer.status_code == 403
    text = answer.content.decode()
    assert "No staff account for this sign-in" in text and "ask yours to add you" in text
    assert "but the City of Santa Monica has no staff account with that address" in text
    assert "CityHall" not in text[: text.index("<footer")]  # the footer's "Powered by CityHall" stays
    assert answer.context["user"].is_anonymous
    assert User.objects.count() == users_before
    assert not SocialAccount.objects.exists()
    assert FailedSignIn.objects.get().method == FailedSignIn.Method.SSO


def test_a_provider_that_does_not_say_email_verified_can_be_trusted_for_the_citys_domain(
    client, people, settings, identity_provider
):
    """CITYHALL_OIDC_VERIFIED_EMAIL_DOMAINS: addresses in the city's own domain count as verified."""
    configure_city_sso(settings, identity_provider, verified_domains=["example.org"])
    answer = sign_in_through_city(client, identity_provider, "agent@example.org")
    assert answer.status_code == 302 and answer["Location"] == "/accounts/2fa/authenticate/"


def test_the_refusal_is_in_spanish_for_a_spanish_browser(client, people, settings, identity_provider):
    configure_city_sso(settings, identity_provider)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "es"
    answer = sign_in_through_city(client, identity_provider, "stranger@example.org")
    assert answer.status_code == 403
    text = answer.content.decode()
    assert "Ninguna cuenta de personal" in text
    assert "pero la Ciudad de Santa Mónica no tiene ninguna cuenta de personal con esa dirección" in text


def test_with_no_city_set_up_the_refusal_says_the_city(client, people, settings, identity_provider):
    configure_city_sso(settings, identity_provider)
    settings.CITYHALL_SITE_CITY = "nowhere.example"  # names no jurisdiction: the site has no city set up
    answer = sign_in_through_city(client, identity_provider, "stranger@example.org")
    text = answer.content.decode()
    assert "but the city has no staff account with that address" in text
    assert "CityHall" not in text[: text.index("<footer")]
