"""The app's tables: the outbox, and what people asked to hear (preferences, follows, areas, devices)."""

from .outbox import Channel, Message, MessageStatus, RecipientKind, Unsubscribe
from .subscriptions import AreaAlert, Delivery, Follow, Preference, PushSubscription, SlaWarning, Topic

__all__ = [
    "AreaAlert",
    "Channel",
    "Delivery",
    "Follow",
    "Message",
    "MessageStatus",
    "Preference",
    "PushSubscription",
    "RecipientKind",
    "SlaWarning",
    "Topic",
    "Unsubscribe",
]
