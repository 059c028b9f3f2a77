"""Listening to the domain: committed request (or application) events become one webhook fan-out task."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone

from cityhall.requests.events import is_news

from .tasks import fan_out_application_webhooks, fan_out_webhooks


def enqueue_webhooks_for_committed_events(sender: Any, *, event_ids: Sequence[int], news: bool, **kwargs: Any) -> None:
    if not news:  # history being written (the demo's past), told to nobody: events.is_news
        return
    fan_out_webhooks.enqueue(list(event_ids))


def enqueue_webhooks_for_committed_application_events(
    sender: Any, *, event_ids: Sequence[int], at: datetime, **kwargs: Any
) -> None:
    if not is_news(at, timezone.now()):
        return
    fan_out_application_webhooks.enqueue(list(event_ids))
