"""CityHall settings: one tree, read from the environment, with working defaults.

Nothing needs configuring to run on SQLite. Every production knob is listed in `.env.example`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from cityhall.core.deployment import (
    DEVELOPMENT_ALLOWED_HOSTS,
    DEVELOPMENT_SECRET_KEY,
    NotReadyForProduction,
    production_problems,
)
from cityhall.core.logs import logging_config
from cityhall.core.storage_settings import default_storage_from

# Django's generic classes (ModelAdmin[User], ModelForm[User], QuerySet[...]) take their model at run time
# too, so the type checker's spelling runs as written.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("CITYHALL_DATA_DIR", BASE_DIR / "var"))
# The embedded database, uploads and collected static files live here (git-ignored).
DATA_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
# Production is served behind HTTPS. It refuses to start on the development key (published in the
# repository) or without its host names; development (`make run`, `make test`) needs no setup.
CITYHALL_HTTPS = env_bool("CITYHALL_HTTPS", False)
if CITYHALL_HTTPS and (_missing := production_problems(os.environ)):
    raise NotReadyForProduction(_missing)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", DEVELOPMENT_ALLOWED_HOSTS)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # Catalogue text per language (name_en, name_es…); must come before the admin to patch it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # allauth's list of a person's security keys loads its template filters ("3 days ago").
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "cityhall.core",
    "cityhall.accounts",
    "cityhall.catalogue",
    "cityhall.geo",
    "cityhall.requests",
    "cityhall.documents",
    "cityhall.applications",
    "cityhall.partners",
    "cityhall.open311",
    "cityhall.api",
    # django-ninja: serves its docs page's Swagger UI from static files, not a CDN.
    "ninja",
    "cityhall.notifications",
    "cityhall.live",
    "cityhall.opendata",
    "cityhall.devices",
    "cityhall.dashboards",
    "cityhall.citizen",
    "cityhall.staff",
    "cityhall.profile",
    "cityhall.demo",
]

MIDDLEWARE = [
    # First in both chains: the request id, the request's log line and its timings (docs/operations.md).
    "cityhall.core.observe.RequestObservationMiddleware",
    "cityhall.open311.middleware.CollapseSlashesMiddleware",
    "cityhall.open311.middleware.RequestUriLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cityhall.core.middleware.ContentSecurityPolicyMiddleware",
    "cityhall.catalogue.middleware.CityTimezoneMiddleware",
]
# The Open311 API's chain (see config/wsgi.py): what a machine client's request needs, no more.
API_PREFIX = "/open311/"
API_MIDDLEWARE = [
    "cityhall.core.observe.RequestObservationMiddleware",
    "cityhall.open311.middleware.CollapseSlashesMiddleware",
    "cityhall.open311.middleware.RequestUriLimitMiddleware",
    "cityhall.open311.middleware.ApiLanguageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cityhall.core.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cityhall.citizen.context_processors.city",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL=postgres://… selects PostgreSQL (15+).
_default_sqlite = f"sqlite:///{DATA_DIR / 'cityhall.sqlite3'}"
# A kept connection is checked before each request's first query, so one that a database restart
# broke is replaced at once instead of failing that request (docs/operations.md, "Crash drills").
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_sqlite), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "cityhall.core.sqlite"  # Django's, with writers queued (its docstring)
    # Connections are kept on SQLite too. A new one read the whole schema before its first query, and
    # closing the last one checkpointed and deleted the write-ahead log, which the next write created
    # again: together more than half of an Open311 list's time and a third of a POST's (docs/open311.md).
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at BEGIN so
        # two writers queue on busy_timeout instead of failing with "database is locked" mid-transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = (
        {"NAME": os.environ.get("CITYHALL_TEST_SQLITE", "")} if os.environ.get("CITYHALL_TEST_SQLITE") else {}
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg prepares a statement the fifth time a connection runs it. Only the server-binding cursor
    # of the public request list (requests/public_list.py) can use it: Django's own cursors bind on
    # the client and never prepare.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5

# One cache for every web process, in the database: the rate limits on public writes and sign-ins
# count there, so N workers do not grant N times the limit. Nothing on a hot read path uses it.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cityhall_cache",
        # Counts are per address and minute and expire after two; culling early would forget them.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}

# The covering index's INCLUDE columns serve PostgreSQL's index-only radius search; SQLite builds
# the index on its key columns alone, which is all it needs, and would warn on every command.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
# A web address typed without its scheme (the city's website in the admin) means https, as in Django 6.
FORMS_URLFIELD_ASSUME_HTTPS = True
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]  # one date format per language, used by every page
# Catalogue text (cityhall/catalogue/translation.py): a language left empty reads as English.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("CITYHALL_MEDIA_ROOT", DATA_DIR / "media"))
# Photos, the city's logo and open data snapshots: local files under MEDIA_ROOT, or an S3-compatible bucket
# when CITYHALL_S3_BUCKET names one (docs/operations.md, "Object storage"). Its objects stay private and
# the application serves each after its access check.
STORAGES = {
    "default": default_storage_from(os.environ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads above this stay on disk instead of memory; the photo pipeline bounds the size itself.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

TASKS = {"default": {"BACKEND": os.environ.get("CITYHALL_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}
# Finished task results are forgotten after this many days (failed ones after twice as long):
# cityhall.core.tasks.prune_finished_tasks, hourly.
CITYHALL_TASK_RESULTS_KEPT_DAYS = int(os.environ.get("CITYHALL_TASK_RESULTS_KEPT_DAYS", "7"))

# Security: secure cookies whenever served over HTTPS (production); the dev server is plain HTTP.
SECURE_COOKIES = env_bool("CITYHALL_SECURE_COOKIES", not DEBUG and CITYHALL_HTTPS)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# An expired or missing form token: a page in the site's frame that says what to do, not Django's bare one.
CSRF_FAILURE_VIEW = "cityhall.citizen.views.errors.csrf_failure"
LANGUAGE_COOKIE_SAMESITE: Literal["Lax", "Strict", "None"] = "Lax"  # typed as set_cookie takes it
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if CITYHALL_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    # The 311 host has no plain-HTTP subdomains to break. Preload stays off (so `check --deploy`'s
    # reminder of it is silenced): the browsers' list is slow to leave and binds the city's whole
    # registered domain, which is its IT department's decision, not this application's.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SILENCED_SYSTEM_CHECKS += ["security.W021"]
    SECURE_SSL_REDIRECT = env_bool("CITYHALL_SSL_REDIRECT", True)

# Messages live in the session, not a cookie: a newly issued API key is shown once through them.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Sign-in: one city profile for residents and staff, through django-allauth (docs/accounts.md).
# Residents sign up with an email alone and sign in by a one-time code, a password or a passkey.
INSTALLED_APPS += [
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
]
MIDDLEWARE += [
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "cityhall.accounts.middleware.StaffNeedTwoFactorMiddleware",
    "cityhall.accounts.middleware.SingleSignOnFormActionMiddleware",
]
ACCOUNT_ADAPTER = "cityhall.accounts.adapters.CityAccountAdapter"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1"]  # a password is optional: without one, sign-in is by code
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Sensitive steps (adding a second factor, changing the address) ask for the password again unless the
# person signed in or re-entered it within this many seconds (CityAccountAdapter.is_reauthentication_required).
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
# The authenticator app's issuer is the city's name (CityMFAAdapter.get_totp_issuer), not a setting.
MFA_ADAPTER = "cityhall.accounts.adapters.CityMFAAdapter"
# One 30-second step either side (RFC 6238 §5.2): a phone clock a little off, or a code typed as it
# turns over, still signs in; a code is still single-use.
MFA_TOTP_TOLERANCE = 1
MFA_FORMS = {"add_webauthn": "cityhall.accounts.forms.AddPasskeyForm"}
ACCOUNT_FORMS = {"login": "cityhall.accounts.forms.LoginForm"}  # the site's words for "Remember Me"
# Browsers allow WebAuthn on http://localhost only; the dev server and tests are plain HTTP there.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG or env_bool("CITYHALL_WEBAUTHN_INSECURE", False)
USERSESSIONS_TRACK_ACTIVITY = True
# Failed sign-ins are throttled (numbers explained in docs/accounts.md) and logged to the
# "cityhall.accounts.sign_in" logger. The limits live in Django's cache, per process unless a shared one is set.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",  # every sign-in attempt, right or wrong
    "login_failed": "10/m/ip,5/15m/key",  # wrong passwords and second factors: per address, per account
    "request_login_code": "20/m/ip,3/m/key,10/h/key",
    "confirm_email": "1/10s/key",
    "signup": "20/m/ip,60/h/ip",
    "reset_password": "20/m/ip,3/m/key,10/h/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3  # wrong codes before the code is void and a new one must be asked for
# Behind a proxy, the client's address is the Nth address from the right of X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("CITYHALL_TRUSTED_PROXY_COUNT", "0") or 0)

# Staff single sign-on through the city's identity provider by OpenID Connect; off unless configured.
# It signs in existing staff accounts only, never creates one (cityhall/accounts/adapters.py).
SOCIALACCOUNT_ADAPTER = "cityhall.accounts.adapters.CitySocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
CITYHALL_OIDC_SERVER_URL = os.environ.get("CITYHALL_OIDC_SERVER_URL", "").rstrip("/")
CITYHALL_OIDC_TRUST_MFA = env_bool("CITYHALL_OIDC_TRUST_MFA", False)
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "city",
                "name": os.environ.get("CITYHALL_OIDC_NAME", "") or "City sign-in",
                "client_id": os.environ.get("CITYHALL_OIDC_CLIENT_ID", ""),
                "secret": os.environ.get("CITYHALL_OIDC_CLIENT_SECRET", ""),
                "settings": {
                    "server_url": CITYHALL_OIDC_SERVER_URL,
                    "verified_email": env_list("CITYHALL_OIDC_VERIFIED_EMAIL_DOMAINS", "") or False,
                },
            }
        ]
        if CITYHALL_OIDC_SERVER_URL and os.environ.get("CITYHALL_OIDC_CLIENT_ID")
        else [],
    }
}

# Email, by Django's own names (docs/notifications.md). Setting EMAIL_HOST alone switches to SMTP;
# with neither, messages are printed by the console backend (development).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# A mail server that stops answering must not hold the task worker: the send fails and is retried.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
# An address alone: emails show the city's name as their sender (core/sender.py); a name given here wins.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@cityhall.localhost")

# SMS through a Twilio-compatible HTTP API; off unless all four are set.
CITYHALL_SMS_URL = os.environ.get("CITYHALL_SMS_URL", "")
CITYHALL_SMS_ACCOUNT = os.environ.get("CITYHALL_SMS_ACCOUNT", "")
CITYHALL_SMS_TOKEN = os.environ.get("CITYHALL_SMS_TOKEN", "")
CITYHALL_SMS_FROM = os.environ.get("CITYHALL_SMS_FROM", "")

# Web push (VAPID); off unless all three are set. `cityhall generate_vapid_keys` makes a pair.
CITYHALL_VAPID_PUBLIC_KEY = os.environ.get("CITYHALL_VAPID_PUBLIC_KEY", "")
CITYHALL_VAPID_PRIVATE_KEY = os.environ.get("CITYHALL_VAPID_PRIVATE_KEY", "")
CITYHALL_VAPID_SUBJECT = os.environ.get("CITYHALL_VAPID_SUBJECT", "")
# Daily digests (residents' and staff's) go out at this hour, in the first jurisdiction's time zone.
CITYHALL_DIGEST_HOUR = int(os.environ.get("CITYHALL_DIGEST_HOUR", "7"))

# Public writes (reports, confirmations, follows) per client address and minute; e.g. {"report": 30}
# overrides one scope's default (cityhall/core/ratelimit.py).
CITYHALL_RATE_LIMITS: dict[str, int] = {}

# Live updates (docs/live.md). `cityhall serve` runs the streams on an ASGI server on the next port
# and sets CITYHALL_LIVE_PORT for its WSGI workers; behind a proxy that routes /live/ to the ASGI
# server, set CITYHALL_LIVE_URL=/live/ instead. The development server and tests serve them themselves.
CITYHALL_LIVE_URL = os.environ.get("CITYHALL_LIVE_URL", "")
CITYHALL_LIVE_PORT = int(os.environ.get("CITYHALL_LIVE_PORT", "0") or 0)
CITYHALL_LIVE_STREAM_OVER_WSGI = env_bool("CITYHALL_LIVE_STREAM_OVER_WSGI", True)
# On PostgreSQL the live streams wake on LISTEN/NOTIFY; false makes them poll as on SQLite (the bench compares both).
CITYHALL_LIVE_LISTEN = env_bool("CITYHALL_LIVE_LISTEN", True)

# Map tiles of every optional map ({z}/{x}/{y}, and {s} as a first label); the CSP allows its origin
# (cityhall/core/map_tiles.py). Empty draws the points on a blank ground.
CITYHALL_MAP_TILES = os.environ.get("CITYHALL_MAP_TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")

# The city the web pages serve, by its Open311 jurisdiction_id (catalogue.selectors.site_city); empty: the
# deployment's first jurisdiction. A second city is a new jurisdiction row plus a site that sets this.
CITYHALL_SITE_CITY = os.environ.get("CITYHALL_SITE_CITY", "")

# Open data (docs/open-data.md): requests of services marked sensitive are published at the center of
# a square cell of this side, in meters, so the point cannot single out a home or a person.
CITYHALL_OPENDATA_SENSITIVE_CELL_METERS = float(os.environ.get("CITYHALL_OPENDATA_SENSITIVE_CELL_METERS", "150"))
# A SODA query (/resource/…) running longer than this is stopped and answered 503 (docs/open-data.md).
CITYHALL_SODA_TIMEOUT_MS = int(os.environ.get("CITYHALL_SODA_TIMEOUT_MS", "5000"))

# Public base URL used in links sent outside a web request (emails, Open311 media_url).
CITYHALL_PUBLIC_URL = os.environ.get("CITYHALL_PUBLIC_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}")

# Logs (docs/operations.md, "Logs"): one JSON object a line, with a line per request and per task and
# the request id on each, in production (CITYHALL_HTTPS) or with CITYHALL_LOG_FORMAT=json; plain
# messages on the development console otherwise.
CITYHALL_LOG_FORMAT = os.environ.get("CITYHALL_LOG_FORMAT", "") or ("json" if CITYHALL_HTTPS else "console")
if CITYHALL_LOG_FORMAT not in {"json", "console"}:
    raise ImproperlyConfigured(f"CITYHALL_LOG_FORMAT must be json or console, not {CITYHALL_LOG_FORMAT!r}.")
LOGGING = logging_config(CITYHALL_LOG_FORMAT, os.environ.get("CITYHALL_LOG_LEVEL", "WARNING"))

# /metrics (docs/operations.md, "Metrics"): with a token, served to whoever sends it as a bearer token;
# without one, only to a loopback address (a Prometheus agent on the same machine).
CITYHALL_METRICS_TOKEN = os.environ.get("CITYHALL_METRICS_TOKEN", "")

# Address search and "near …" descriptions (docs/geo.md). "streets" (the default) searches the street
# centerlines and named places loaded with `cityhall streets load`, with no outside service;
# "nominatim" asks a Nominatim-compatible server at CITYHALL_GEOCODER_URL; or a dotted path to a
# class of your own with the same two methods (cityhall.geo.geocoding.Geocoder).
CITYHALL_GEOCODER = os.environ.get("CITYHALL_GEOCODER", "streets")
CITYHALL_GEOCODER_URL = os.environ.get("CITYHALL_GEOCODER_URL", "").rstrip("/")
CITYHALL_GEOCODER_TIMEOUT = float(os.environ.get("CITYHALL_GEOCODER_TIMEOUT", "3"))

# Open data's nightly snapshots (docs/open-data.md, "Bulk downloads"): each dataset as CSV, GeoJSON and
# Parquet under opendata/snapshots/<date>/ in the default storage, kept this many days.
CITYHALL_OPENDATA_SNAPSHOT_DAYS = int(os.environ.get("CITYHALL_OPENDATA_SNAPSHOT_DAYS", "7"))

# Partners' webhooks (docs/webhooks.md). Receivers must resolve to public addresses; list networks
# here (CIDR, comma-separated) to allow private ones, e.g. a partner on the city's own network.
CITYHALL_WEBHOOK_ALLOWED_NETWORKS = env_list("CITYHALL_WEBHOOK_ALLOWED_NETWORKS", "")
# Seconds to connect, and to wait for the answer, per attempt.
CITYHALL_WEBHOOK_TIMEOUT = float(os.environ.get("CITYHALL_WEBHOOK_TIMEOUT", "5"))
# A subscription whose deliveries failed this many times in a row is paused until staff resume it.
CITYHALL_WEBHOOK_PAUSE_AFTER = int(os.environ.get("CITYHALL_WEBHOOK_PAUSE_AFTER", "15"))

# Signed documents (docs/documents.md). The city's authority, seal and staff keys live in this directory
# (0700, each key file 0600), created on first need for the demo; production names PKCS#12 files instead.
CITYHALL_SIGNING_DIR = Path(os.environ.get("CITYHALL_SIGNING_DIR", DATA_DIR / "signing"))
# The organization the certificates name (default: the site's city, e.g. "City of Santa Monica").
CITYHALL_SIGNING_ORGANIZATION = os.environ.get("CITYHALL_SIGNING_ORGANIZATION", "")
CITYHALL_SIGNING_CA_PKCS12 = os.environ.get("CITYHALL_SIGNING_CA_PKCS12", "")
CITYHALL_SIGNING_CA_PASSPHRASE = os.environ.get("CITYHALL_SIGNING_CA_PASSPHRASE", "")
CITYHALL_SIGNING_SEAL_PKCS12 = os.environ.get("CITYHALL_SIGNING_SEAL_PKCS12", "")
CITYHALL_SIGNING_SEAL_PASSPHRASE = os.environ.get("CITYHALL_SIGNING_SEAL_PASSPHRASE", "")
# Or the seal's key on a PKCS#11 token (an HSM, a smart card): the token's module (.so), the token's
# label, the key's label and the PIN (never logged or served); the certificate is the one on the token
# under the key's label unless a PEM file is named.
CITYHALL_SIGNING_SEAL_PKCS11_MODULE = os.environ.get("CITYHALL_SIGNING_SEAL_PKCS11_MODULE", "")
CITYHALL_SIGNING_SEAL_PKCS11_TOKEN = os.environ.get("CITYHALL_SIGNING_SEAL_PKCS11_TOKEN", "")
CITYHALL_SIGNING_SEAL_PKCS11_KEY = os.environ.get("CITYHALL_SIGNING_SEAL_PKCS11_KEY", "")
CITYHALL_SIGNING_SEAL_PKCS11_PIN = os.environ.get("CITYHALL_SIGNING_SEAL_PKCS11_PIN", "")
# Django's debug page would show the PIN (its name matches none of Django's hidden words).
DEFAULT_EXCEPTION_REPORTER_FILTER = "cityhall.core.debug_filter.HideSecrets"
CITYHALL_SIGNING_SEAL_PKCS11_CERTIFICATE = os.environ.get("CITYHALL_SIGNING_SEAL_PKCS11_CERTIFICATE", "")
# An RFC 3161 time-stamping authority for every signature (optional): its URL.
CITYHALL_SIGNING_TSA_URL = os.environ.get("CITYHALL_SIGNING_TSA_URL", "")
# The largest PDF /verify accepts.
CITYHALL_VERIFY_MAX_BYTES = int(os.environ.get("CITYHALL_VERIFY_MAX_BYTES", str(10 * 1024 * 1024)))

# How long devices' measurements are kept (docs/devices.md, *Retention*).
CITYHALL_DEVICE_RETENTION_DAYS = int(os.environ.get("CITYHALL_DEVICE_RETENTION_DAYS", "30"))
# The demo's simulated devices send a reading every few seconds (`make run` turns it on).
CITYHALL_DEVICE_SIMULATOR = env_bool("CITYHALL_DEVICE_SIMULATOR", False)
# The MQTT broker `cityhall devices listen` reads (docs/devices.md, *MQTT*); TLS when a CA file is given.
CITYHALL_MQTT_HOST = os.environ.get("CITYHALL_MQTT_HOST", "127.0.0.1")
CITYHALL_MQTT_PORT = int(os.environ.get("CITYHALL_MQTT_PORT", "1883"))
CITYHALL_MQTT_USERNAME = os.environ.get("CITYHALL_MQTT_USERNAME", "")
CITYHALL_MQTT_PASSWORD = os.environ.get("CITYHALL_MQTT_PASSWORD", "")
CITYHALL_MQTT_CA_FILE = os.environ.get("CITYHALL_MQTT_CA_FILE", "")
