"""Pytest fixtures: the stand-in identity provider on a loopback port, and CityHall configured to use it.

Import the fixtures you need into a test module. The provider runs as a subprocess with its own
database in a temporary directory; it is ready once its discovery document answers.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "cityhall-tests"
CLIENT_SECRET = "test-only-client-secret-of-some-length"
PASSWORD = "provider-password"
# People the provider knows. Only some have a CityHall staff account (conftest.PEOPLE).
PROVIDER_USERS = [
    "admin@example.org",
    "staff@example.org",
    "resident@example.org",
    "stranger@example.org",
    "new.agent@example.org",
]
UNVERIFIED = ["agent@example.org"]  # known to the provider, but it does not vouch for the address
CALLBACK_PATH = "/accounts/oidc/city/login/callback/"


@dataclass(frozen=True)
class IdentityProvider:
    issuer: str
    name: str = "Santa Monica ID"


@contextmanager
def running_identity_provider(directory: Path, redirect_uris: list[str]) -> Iterator[IdentityProvider]:
    """Start the provider, wait until its discovery URL answers, stop it afterwards."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "CITYHALL_"))}
    command = [
        sys.executable,
        "-m",
        "tests.oidc_provider.serve",
        f"--database={directory / 'provider.sqlite3'}",
        f"--client-id={CLIENT_ID}",
        f"--client-secret={CLIENT_SECRET}",
        *(f"--redirect-uri={uri}" for uri in redirect_uris),
        *(f"--user={email}:{PASSWORD}" for email in [*PROVIDER_USERS, *UNVERIFIED]),
        *(f"--unverified={email}" for email in UNVERIFIED),
    ]
    log_path = directory / "provider.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        issuer = _announced_issuer(process, log_path)
        _wait_for_discovery(issuer, process, log_path)
        yield IdentityProvider(issuer=issuer)
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def _announced_issuer(process: subprocess.Popen, log_path: Path) -> str:
    readable, _, _ = select.select([process.stdout], [], [], 60)
    line = process.stdout.readline() if readable else ""
    if not line.startswith("listening on "):
        process.kill()
        pytest.fail(f"The identity provider did not start: {line!r}\n{log_path.read_text()}")
    return line.removeprefix("listening on ").strip()


def _wait_for_discovery(issuer: str, process: subprocess.Popen, log_path: Path) -> None:
    """Poll the discovery document until it names our issuer (the port is open already; this checks it serves)."""
    url = f"{issuer}/.well-known/openid-configuration"
    for _attempt in range(100):
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if json.load(response).get("issuer") == issuer:
                    return
        except OSError:
            continue
    pytest.fail(f"The identity provider never answered {url}\n{log_path.read_text()}")


@pytest.fixture(scope="session")
def identity_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IdentityProvider]:
    """A provider that sends people back to Django's test client (http://testserver)."""
    with running_identity_provider(tmp_path_factory.mktemp("oidc"), [f"http://testserver{CALLBACK_PATH}"]) as idp:
        yield idp


@pytest.fixture(scope="session")
def browser_identity_provider(tmp_path_factory: pytest.TempPathFactory, live_server: Any) -> Iterator[IdentityProvider]:
    """A provider that sends people back to the live server the browser tests use."""
    with running_identity_provider(tmp_path_factory.mktemp("oidc"), [f"{live_server.url}{CALLBACK_PATH}"]) as idp:
        yield idp


def configure_city_sso(
    settings: Any, provider: IdentityProvider, *, trust_mfa: bool = False, verified_domains: list[str] | None = None
) -> None:
    """What setting CITYHALL_OIDC_* in the environment does (config/settings.py), on a test's settings."""
    settings.CITYHALL_OIDC_SERVER_URL = provider.issuer
    settings.CITYHALL_OIDC_TRUST_MFA = trust_mfa
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "city",
                    "name": provider.name,
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": provider.issuer, "verified_email": verified_domains or False},
                }
            ],
        }
    }


def sign_in_at_provider(authorize_url: str, email: str) -> str:
    """Act as the person's browser at the provider: sign in there, return where it sends them back to."""
    with requests.Session() as visitor:
        login_page = visitor.get(authorize_url, timeout=10)
        assert "City identity provider" in login_page.text, login_page.text
        answer = visitor.post(
            login_page.url,
            data={
                "username": email,
                "password": PASSWORD,
                "csrfmiddlewaretoken": visitor.cookies["csrftoken"],
                "next": parse_qs(urlsplit(login_page.url).query)["next"][0],
            },
            allow_redirects=False,
            timeout=10,
        )
        while answer.is_redirect:
            location = urljoin(answer.url, answer.headers["Location"])
            if not location.startswith(login_page.url.split("/login/")[0]):
                return location  # leaving the provider: back to CityHall with a code
            answer = visitor.get(location, allow_redirects=False, timeout=10)
    raise AssertionError(f"The provider did not send the person back: {answer.status_code} {answer.text[:500]}")
