"""Production (CITYHALL_HTTPS=true) refuses to start on the development secret key or without its
host names, and says what to set; `check --deploy` fails on them too. Development needs no setup."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from cityhall.core.deployment import DEVELOPMENT_SECRET_KEY

COMMAND = [sys.executable, "-m", "config.manage"]
A_REAL_KEY = "a-test-only-production-key-" + "x" * 40
# The test run's own settings (its database too: each command gets SQLite in its own data directory), and
# the async guard the browser tests lift (check --deploy rightly refuses it).
UNSET = ("CITYHALL_HTTPS", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")


def run(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {name: value for name, value in os.environ.items() if name not in UNSET}
    return subprocess.run(
        [*COMMAND, *args],
        env={**base, "CITYHALL_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("command", [("check", "--deploy"), ("serve",), ("migrate",)])
def test_production_refuses_to_start_without_a_secret_key_or_allowed_hosts(tmp_path, command):
    refused = run(tmp_path, *command, CITYHALL_HTTPS="true")
    assert refused.returncode == 1
    assert "CityHall will not start in production (CITYHALL_HTTPS=true) until these are set:" in refused.stderr
    assert "- DJANGO_SECRET_KEY is not set." in refused.stderr
    assert "secrets.token_urlsafe(50)" in refused.stderr  # how to make one
    assert "- DJANGO_ALLOWED_HOSTS is not set. Set it to the host names the city serves" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert "serving on" not in refused.stdout


@pytest.mark.parametrize(
    ("key", "said"),
    [
        (DEVELOPMENT_SECRET_KEY, "DJANGO_SECRET_KEY is a key published in CityHall's repository"),
        ("change-me-to-a-long-random-string", "DJANGO_SECRET_KEY is a key published in CityHall's repository"),
        ("short", "DJANGO_SECRET_KEY is 5 characters; use at least 50"),
    ],
)
def test_production_refuses_a_published_or_short_key(tmp_path, key, said):
    # Plain `check`, which only the settings refuse (check --deploy names these too).
    refused = run(tmp_path, "check", CITYHALL_HTTPS="true", DJANGO_SECRET_KEY=key, DJANGO_ALLOWED_HOSTS="a.gov")
    assert refused.returncode == 1
    assert said in refused.stderr
    assert "DJANGO_ALLOWED_HOSTS" not in refused.stderr


def test_production_with_its_settings_passes_the_deployment_check(tmp_path):
    checked = run(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        CITYHALL_HTTPS="true",
        DJANGO_SECRET_KEY=A_REAL_KEY,
        DJANGO_ALLOWED_HOSTS="311.example.gov",
    )
    assert checked.returncode == 0, checked.stderr
    # Not even a warning: HSTS covers subdomains, and preload is off on purpose (config/settings.py).
    assert "System check identified no issues" in checked.stdout


def test_development_runs_without_setup_but_the_deployment_check_names_what_production_needs(tmp_path):
    assert run(tmp_path, "check").returncode == 0
    checked = run(tmp_path, "check", "--deploy")
    assert checked.returncode == 1
    assert "(cityhall.E001) DJANGO_SECRET_KEY is not set." in checked.stderr
    assert "(cityhall.E001) DJANGO_ALLOWED_HOSTS is not set." in checked.stderr
