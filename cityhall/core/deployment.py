"""What production refuses to run without, in one place: read by the settings and by `check --deploy`.

Production is `CITYHALL_HTTPS=true` (docs/operations.md). Development needs no setup, so it falls
back to a secret key that is published in the repository: anyone could forge sessions, password
reset links and signed stream addresses with it. Production must never start on it.

Pure Python on purpose: config/settings.py imports it before Django is set up.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-set-DJANGO_SECRET_KEY-in-production"  # noqa: S105 (published on purpose)
DEVELOPMENT_ALLOWED_HOSTS = "127.0.0.1,localhost,[::1],testserver"
# Keys known to the world: the development key and the placeholder an older .env.example carried.
PUBLISHED_SECRET_KEYS = frozenset({DEVELOPMENT_SECRET_KEY, "change-me-to-a-long-random-string"})
# Django's own `check --deploy` warns below this length.
MIN_SECRET_KEY_LENGTH = 50
MAKE_A_KEY = "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"


class NotReadyForProduction(ImproperlyConfigured):
    """Raised by the settings in production mode; `cityhall` prints it without a traceback."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            "CityHall will not start in production (CITYHALL_HTTPS=true) until these are set:\n"
            + "\n".join(f"- {problem}" for problem in problems)
            + "\nSee .env.example and docs/operations.md."
        )


def secret_key_problem(key: str) -> str | None:
    if not key:
        return f"DJANGO_SECRET_KEY is not set. Set it to a long random string of your own, e.g. from: {MAKE_A_KEY}"
    if key in PUBLISHED_SECRET_KEYS:
        return f"DJANGO_SECRET_KEY is a key published in CityHall's repository. Make your own with: {MAKE_A_KEY}"
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return (
            f"DJANGO_SECRET_KEY is {len(key)} characters; use at least {MIN_SECRET_KEY_LENGTH}, e.g. from: {MAKE_A_KEY}"
        )
    return None


def allowed_hosts_problem(hosts: str) -> str | None:
    if not hosts.replace(",", " ").strip() or hosts == DEVELOPMENT_ALLOWED_HOSTS:
        return "DJANGO_ALLOWED_HOSTS is not set. Set it to the host names the city serves, e.g. 311.example.gov"
    return None


def production_problems(environ: Mapping[str, str]) -> list[str]:
    """Each missing production setting, with what to set; empty when production may start."""
    found = [
        secret_key_problem(environ.get("DJANGO_SECRET_KEY", "")),
        allowed_hosts_problem(environ.get("DJANGO_ALLOWED_HOSTS", "")),
    ]
    return [problem for problem in found if problem]
