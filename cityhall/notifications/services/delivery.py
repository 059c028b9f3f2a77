"""Sending one outbox row: claim it, render it, hand it to its channel, record what happened.

The claim is a conditional UPDATE (pending → sending): of two task runs reaching the same row,
exactly one wins, so a message is never sent twice. Temporary failures put the row back to
pending and enqueue a retry, up to MAX_ATTEMPTS; then it is failed for good.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.db.models import F

from cityhall.core import clock
from cityhall.core.contact import is_email, is_phone

from .. import rendering
from ..channels import PermanentFailure, TemporaryFailure
from ..channels.mail import send_email
from ..channels.push import SubscriptionGone, configured_vapid, send_push
from ..channels.sms import configured_provider, send_sms
from ..models import Channel, Message, MessageStatus, PushSubscription, Unsubscribe
from ..preferences import subscription_id_of
from .storing import DEVICE_GONE, PUSH_OFF, SMS_OFF, UNSUBSCRIBED

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Waits before the 2nd, 3rd, 4th and 5th attempts: about a day of a provider's outage in all.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1), timedelta(hours=6))

RetryScheduler = Callable[[int, timedelta], None]


def message_deliver(message_id: int, *, schedule_retry: RetryScheduler) -> str:
    """Send the message if it is still pending; return its status afterwards."""
    unusable = _unusable_address(message_id)
    if unusable:
        failed = Message.objects.filter(pk=message_id, status=MessageStatus.PENDING).update(
            status=MessageStatus.FAILED, last_error=unusable
        )
        if failed:
            _fail_carried(message_id, unusable)
        return _status_of(message_id)
    reason = _reason_to_skip(message_id)
    if reason:
        Message.objects.filter(pk=message_id, status=MessageStatus.PENDING).update(
            status=MessageStatus.SKIPPED, last_error=reason
        )
        return _status_of(message_id)
    claimed = Message.objects.filter(pk=message_id, status=MessageStatus.PENDING).update(
        status=MessageStatus.SENDING, attempts=F("attempts") + 1, claimed_at=clock.now()
    )
    if not claimed:
        return _status_of(message_id)  # sent, skipped or failed already, or another run holds it
    message = Message.objects.select_related(
        "request__service", "request__department", "request__jurisdiction", "event"
    ).get(pk=message_id)
    try:
        provider_id = _send(message)
    except TemporaryFailure as failure:
        return _after_temporary_failure(message, str(failure), schedule_retry)
    except SubscriptionGone as failure:
        # The browser or app dropped the subscription: forget the device, the rest of the person stays.
        PushSubscription.objects.filter(pk=subscription_id_of(message.address)).delete()
        return _mark_failed(message, f"{DEVICE_GONE} {failure}")
    except PermanentFailure as failure:
        return _mark_failed(message, str(failure))
    except Exception as error:
        # A bug (a broken template, say) must not leave the row claimed forever.
        logger.exception("Message %s could not be sent", message_id)
        return _mark_failed(message, f"{type(error).__name__}: {error}")
    sent_at = clock.now()
    Message.objects.filter(pk=message_id).update(
        status=MessageStatus.SENT, sent_at=sent_at, provider_id=provider_id[:200], last_error=""
    )
    # The messages a digest carried went out with it.
    Message.objects.filter(digest_id=message_id, status=MessageStatus.HELD).update(
        status=MessageStatus.SENT, sent_at=sent_at, provider_id=f"in digest {message_id}"
    )
    return MessageStatus.SENT


def _send(message: Message) -> str:
    content = rendering.render(message)
    if message.channel == Channel.PUSH:
        keys = configured_vapid()
        device = PushSubscription.objects.filter(pk=subscription_id_of(message.address)).first()
        if keys is None or device is None:
            raise PermanentFailure(PUSH_OFF if keys is None else DEVICE_GONE)
        payload = {"title": content.subject, "body": content.text, "url": content.link, "tag": content.tag}
        provider_id = send_push(keys, endpoint=device.endpoint, p256dh=device.p256dh, auth=device.auth, payload=payload)
        PushSubscription.objects.filter(pk=device.pk).update(last_sent_at=clock.now())
        return provider_id
    if message.channel == Channel.SMS:
        provider = configured_provider()
        if provider is None:
            raise PermanentFailure(SMS_OFF)
        return send_sms(provider, to=message.address, body=content.text)
    return send_email(
        to=message.address,
        sender=content.sender,
        subject=content.subject,
        text=content.text,
        html=content.html,
        unsubscribe_url=content.unsubscribe_url,
    )


def _unusable_address(message_id: int) -> str:
    """An address no provider can deliver to (rows stored before contacts were checked, or typed by
    hand) fails for good: handing it over would mark the message "sent" to no one."""
    found = Message.objects.filter(pk=message_id).values("channel", "address").first()
    if found is None:
        return ""
    if found["channel"] == Channel.EMAIL and not is_email(found["address"]):
        return "Not a valid email address; nothing was sent."
    if found["channel"] == Channel.SMS and not is_phone(found["address"]):
        return "Not a valid phone number; nothing was sent."
    return ""


def _reason_to_skip(message_id: int) -> str:
    """Checked again at sending time: the resident may have unsubscribed, or SMS been switched off, since."""
    found = Message.objects.filter(pk=message_id).values("channel", "address").first()
    if found is None:
        return ""
    if Unsubscribe.objects.filter(channel=found["channel"], address=found["address"]).exists():
        return UNSUBSCRIBED
    if found["channel"] == Channel.SMS and configured_provider() is None:
        return SMS_OFF
    if found["channel"] == Channel.PUSH:
        if configured_vapid() is None:
            return PUSH_OFF
        if not PushSubscription.objects.filter(pk=subscription_id_of(found["address"])).exists():
            return DEVICE_GONE
    return ""


def _after_temporary_failure(message: Message, error: str, schedule_retry: RetryScheduler) -> str:
    if message.attempts >= MAX_ATTEMPTS:
        return _mark_failed(message, f"Gave up after {message.attempts} attempts. Last error: {error}")
    # Released first, then the retry enqueued: the retry must find the row pending, not claimed.
    Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        status=MessageStatus.PENDING, last_error=error
    )
    schedule_retry(message.pk, BACKOFF[min(message.attempts, len(BACKOFF)) - 1])
    return _status_of(message.pk)  # still pending on a real queue; settled if the retry ran at once


def _mark_failed(message: Message, error: str) -> str:
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED, last_error=error)
    _fail_carried(message.pk, error)
    logger.warning("Message %s failed: %s", message.pk, error)
    return MessageStatus.FAILED


def _fail_carried(digest_id: int, error: str) -> None:
    Message.objects.filter(digest_id=digest_id, status=MessageStatus.HELD).update(
        status=MessageStatus.FAILED, last_error=f"Its digest failed: {error}"
    )


def _status_of(message_id: int) -> str:
    return str(Message.objects.filter(pk=message_id).values_list("status", flat=True).first() or "")
