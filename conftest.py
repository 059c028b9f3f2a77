"""Fixtures shared by every test: a real Santa Monica catalogue and people in each role."""

from __future__ import annotations

import pytest

from cityhall.accounts.models import Role, User
from cityhall.catalogue.models import Department, Jurisdiction, Service

pytest_plugins = ["tests.browser", "tests.object_storage", "tests.smtp", "tests.softhsm"]


DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _fresh_caches(request):
    """Per-process caches of hot reads must not carry rows from one test's database into another's."""
    from cityhall.core.ttl_cache import clear_all_caches

    clear_all_caches()
    # Django's cache lives in the database (settings.CACHES), where the rate limits count: one test's
    # attempts must not refuse another's. A test without the database cannot reach it at all.
    if request.node.get_closest_marker("django_db") or DATABASE_FIXTURES & set(request.fixturenames):
        from django.core.cache import caches

        request.getfixturevalue("db")  # the test's database first (transactional_db still wins)
        for cache in caches.all(initialized_only=True):
            cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A page asked for in Spanish leaves Spanish active in the thread (LocaleMiddleware never resets it):
    the next test, a command run in-process, must start in the default language like a fresh process."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Tests serve static files unhashed, so they need no `collectstatic` first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real Santa Monica catalogue once per test database; each test rolls back to it."""
    from cityhall.demo.catalogue import load_catalogue
    from cityhall.demo.streets import load_demo_streets

    with django_db_blocker.unblock():
        load_demo_streets(load_catalogue())  # streets: +0.8 s once (bulk insert, 7,185 rows)
        _create_people()


@pytest.fixture
def santa_monica(db) -> Jurisdiction:
    from cityhall.demo.catalogue import load_catalogue
    from cityhall.demo.streets import load_demo_streets

    # A transactional test (transaction=True) empties the database afterwards; load it again then.
    found = Jurisdiction.objects.filter(jurisdiction_id="smgov.net").first()
    if found is None:
        found = load_catalogue()
        load_demo_streets(found)
        _create_people()
    return found


@pytest.fixture
def public_works(santa_monica) -> Department:
    return Department.objects.get(jurisdiction=santa_monica, slug="public-works")


@pytest.fixture
def service(santa_monica):
    def get(code: str) -> Service:
        return Service.objects.get(jurisdiction=santa_monica, code=code)

    return get


PEOPLE = {
    "resident": ("resident@example.org", Role.RESIDENT, None),
    "other_resident": ("neighbour@example.org", Role.RESIDENT, None),
    "agent": ("agent@example.org", Role.AGENT, None),
    "staff": ("staff@example.org", Role.STAFF, "public-works"),
    "crew": ("crew@example.org", Role.CREW, "public-works"),
    "crewmate": ("crewmate@example.org", Role.CREW, "public-works"),  # works through the street crew
    "supervisor": ("supervisor@example.org", Role.SUPERVISOR, "public-works"),
    "admin": ("admin@example.org", Role.ADMIN, None),
    "other_staff": ("planner@example.org", Role.STAFF, "planning-community-development"),
}


def _create_people() -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from cityhall.accounts.emails import mark_email_verified
    from cityhall.accounts.models import STAFF_ROLES

    for email, role, department in PEOPLE.values():
        # No password: tests sign in with force_login, and hashing with Argon2 would cost seconds.
        user = User.objects.create_user(
            email,
            None,
            role=role,
            name=email.split("@")[0],
            department=Department.objects.get(slug=department) if department else None,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        mark_email_verified(user)
        if role in STAFF_ROLES:
            TOTP.activate(user, generate_totp_secret())  # staff pages open only with a second factor


@pytest.fixture
def street_crew(people, public_works):
    """A Public Works crew whose one member is `crewmate` (the `crew` account works alone)."""
    from cityhall.catalogue.models import Crew

    crew = Crew.objects.create(department=public_works, name="Street repair")
    crew.members.add(people["crewmate"])
    return crew


@pytest.fixture
def people(santa_monica) -> dict[str, User]:
    """One account per role; department roles belong to Public Works (other_staff to Planning)."""
    by_email = {user.email: user for user in User.objects.filter(email__in=[p[0] for p in PEOPLE.values()])}
    return {key: by_email[email] for key, (email, _role, _department) in PEOPLE.items()}
