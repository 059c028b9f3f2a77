"""Listening to the domain: committed request events become one webhook fan-out task."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .tasks import fan_out_webhooks


def enqueue_webhooks_for_committed_events(sender: Any, *, event_ids: Sequence[int], news: bool, **kwargs: Any) -> None:
    if not news:  # history being written (the demo's past), told to nobody: events.is_news
        return
    fan_out_webhooks.enqueue(list(event_ids))
