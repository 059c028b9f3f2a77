"""A resident with a full, distinctive life in the city, so tests can look for every trace of her."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress

from cityhall.accounts.emails import mark_email_verified
from cityhall.accounts.models import User

NAME = "Zelda Quixote-Marsh"
EMAIL = "zelda.quixote@example.net"
WORK_EMAIL = "zq.work@example.net"
PHONE = "310-555-0177"


@dataclass
class Resident:
    user: User
    email: str = EMAIL
    work_email: str = WORK_EMAIL
    phone: str = PHONE
    name: str = NAME


@pytest.fixture(autouse=True)
def _tasks_at_once(settings):
    """Notifications are planned and sent in the test (to Django's in-memory mail outbox)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CITYHALL_SMS_URL = ""


@pytest.fixture
def zelda(santa_monica) -> Resident:
    user = User.objects.create_user(EMAIL, None, name=NAME, phone=PHONE)
    mark_email_verified(user)
    EmailAddress.objects.create(user=user, email=WORK_EMAIL, verified=True, primary=False)
    return Resident(user=user)
