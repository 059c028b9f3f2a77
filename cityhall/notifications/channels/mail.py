"""Email through Django's mail backend: SMTP, the console in development, any provider through django-anymail."""

from __future__ import annotations

import contextlib
import smtplib
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from cityhall.core.sender import from_email

from .failures import PermanentFailure, TemporaryFailure


def send_email(*, to: str, sender: str, subject: str, text: str, html: str, unsubscribe_url: str) -> str:
    """Send one message with a plain-text and an HTML part, from the configured address under the
    `sender`'s name; return its Message-ID (or the provider's id)."""
    message_id = make_msgid(domain=_sender_domain())
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email(sender),
        to=[to],
        headers={
            "Message-ID": message_id,
            # RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs to the link.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # RFC 3834: out-of-office robots must not answer a notification.
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
        accepted = connection.send_messages([message])
    except Exception as error:
        raise classify(error) from error
    finally:
        # Once the server has answered the message, a failed goodbye (SMTP QUIT) changes nothing,
        # and must not count as a failure: a retry would send the message twice.
        with contextlib.suppress(Exception):
            connection.close()
    if not accepted:
        raise TemporaryFailure("The mail backend accepted no message.")
    provider_status = getattr(message, "anymail_status", None)  # set by django-anymail backends
    if provider_status is not None and provider_status.message_id:
        return str(provider_status.message_id)
    return message_id


def classify(error: Exception) -> TemporaryFailure | PermanentFailure:
    """SMTP 4xx, dropped connections, timeouts and provider 5xx/429 are temporary; the rest is not."""
    detail = f"{type(error).__name__}: {error}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        temporary = bool(codes) and all(400 <= code < 500 for code in codes)
        return TemporaryFailure(detail) if temporary else PermanentFailure(detail)
    if isinstance(error, smtplib.SMTPResponseException):
        return TemporaryFailure(detail) if 400 <= error.smtp_code < 500 else PermanentFailure(detail)
    # smtplib's other errors are OSErrors too (a disconnect, no server): all worth another try.
    if isinstance(error, OSError):
        return TemporaryFailure(detail)
    status_code = getattr(error, "status_code", None)  # django-anymail's API errors carry the HTTP status
    if isinstance(status_code, int) and (status_code >= 500 or status_code == 429):
        return TemporaryFailure(detail)
    return PermanentFailure(detail)


def _sender_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "cityhall.localhost"
