"""A real SMTP server on loopback, for any app's test that sends email: the `smtp` fixture points Django's
SMTP backend at it and hands over what arrived, parsed as a mail app would."""

from __future__ import annotations

import asyncio
import email
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, cast

import pytest
from aiosmtpd.controller import Controller

from tests.loopback import LOOPBACK


class LoopbackController(Controller):
    """aiosmtpd on a port the OS picks: the port is read back from the bound socket before use."""

    def _trigger_server(self) -> None:
        self.port = cast(asyncio.Server, self.server).sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]  # aiosmtpd's own method is untyped


@dataclass
class SmtpInbox:
    """What the SMTP server received, parsed; `refuse_with` makes it answer RCPT with that reply."""

    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    refuse_with: str = ""

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        if self.refuse_with:
            return self.refuse_with
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(parsed)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [
            message for message, (_sender, rcpts) in zip(self.received, self.envelopes, strict=True) if address in rcpts
        ]


def sender_of(message: EmailMessage) -> tuple[str, str]:
    """Who a received email is from, as a mail app shows it: the name (decoded) and the address."""
    (sender,) = message["From"].addresses
    return str(sender.display_name), str(sender.addr_spec)


@pytest.fixture
def smtp(settings: Any) -> Iterator[SmtpInbox]:
    """A real SMTP server on loopback, and Django's SMTP backend pointed at it."""
    inbox = SmtpInbox()
    controller = LoopbackController(inbox, hostname=LOOPBACK, port=0)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = LOOPBACK, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    try:
        yield inbox
    finally:
        controller.stop()
