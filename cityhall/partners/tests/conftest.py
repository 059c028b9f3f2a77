"""Fixtures of the webhook tests: tasks at once, loopback allowed explicitly, a receiver, partners' keys."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest

from cityhall.api.tests.conftest import Partner, make_key
from tests.loopback import RecordingServer, serving


@pytest.fixture(autouse=True)
def _immediate_tasks_and_loopback(settings):
    """Tasks run in the test's thread; receivers on loopback are allowed here, and only here, on purpose."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CITYHALL_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.CITYHALL_WEBHOOK_TIMEOUT = 5
    settings.CITYHALL_WEBHOOK_PAUSE_AFTER = 3


@pytest.fixture
def receiver() -> Iterator[RecordingServer]:
    """A partner's webhook receiver: a real HTTP server on loopback that answers 204 unless told otherwise."""
    with serving(RecordingServer()) as server:
        yield server


@pytest.fixture
def committed(django_capture_on_commit_callbacks) -> Callable[[], AbstractContextManager[list[Callable[[], None]]]]:
    """`with committed():` runs the block's on-commit callbacks at its end, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def partner_for(santa_monica, client) -> Callable[..., Partner]:
    def make(name: str, *scopes: str) -> Partner:
        return Partner(client, make_key(name, *scopes))

    return make
