"""Fixtures: the loopback servers (SMTP's, `smtp`, serves every app: tests/smtp.py), tasks run at once, and
commits that really run their callbacks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest

from tests.loopback import serving

from .servers import PushServiceLike, TwilioLike

PUBLIC_URL = "https://311.example.gov"
SMS_ACCOUNT, SMS_TOKEN, SMS_FROM = "AC0123456789abcdef0123456789abcdef", "secret-token", "+13105550000"


@pytest.fixture(autouse=True)
def _public_url_and_immediate_tasks(settings):
    """Links name a known address; tasks run synchronously (retries too) instead of waiting for a worker."""
    settings.CITYHALL_PUBLIC_URL = PUBLIC_URL
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CITYHALL_SMS_URL = ""
    settings.CITYHALL_VAPID_PUBLIC_KEY = settings.CITYHALL_VAPID_PRIVATE_KEY = settings.CITYHALL_VAPID_SUBJECT = ""


@pytest.fixture
def sms_api(settings) -> Iterator[TwilioLike]:
    """A Twilio-like Messages API on loopback, and the SMS settings pointed at it."""
    with serving(TwilioLike(SMS_ACCOUNT, SMS_TOKEN)) as server:
        settings.CITYHALL_SMS_URL, settings.CITYHALL_SMS_ACCOUNT = server.url, SMS_ACCOUNT
        settings.CITYHALL_SMS_TOKEN, settings.CITYHALL_SMS_FROM = SMS_TOKEN, SMS_FROM
        yield server


@pytest.fixture
def committed(django_capture_on_commit_callbacks) -> Callable[[], AbstractContextManager[list[Callable[[], None]]]]:
    """`with committed():` runs the block's on-commit callbacks at its end, as a real commit would.

    (Each test runs inside one transaction that is rolled back, so nothing commits by itself.)
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)


VAPID_SUBJECT = "mailto:311@example.gov"


@pytest.fixture
def push_service(settings) -> Iterator[PushServiceLike]:
    """A push service on loopback, and a fresh VAPID key pair in the settings (web push on)."""
    from ..management.commands.generate_vapid_keys import vapid_key_pair

    settings.CITYHALL_VAPID_PUBLIC_KEY, settings.CITYHALL_VAPID_PRIVATE_KEY = vapid_key_pair()
    settings.CITYHALL_VAPID_SUBJECT = VAPID_SUBJECT
    with serving(PushServiceLike()) as server:
        yield server
