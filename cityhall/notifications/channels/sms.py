"""SMS through any provider speaking Twilio's Messages API, with the standard library alone.

POST {CITYHALL_SMS_URL}/2010-04-01/Accounts/{account}/Messages.json, HTTP Basic auth (account, token),
form fields To, From, Body; the answer's `sid` identifies the message. Off unless all four settings are set.
"""

from __future__ import annotations

import base64
import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings

from .failures import PermanentFailure, TemporaryFailure

TIMEOUT_SECONDS = 15


@dataclass(frozen=True)
class SmsProvider:
    url: str
    account: str
    token: str
    sender: str

    @property
    def messages_url(self) -> str:
        account = urllib.parse.quote(self.account, safe="")
        return f"{self.url.rstrip('/')}/2010-04-01/Accounts/{account}/Messages.json"


def configured_provider() -> SmsProvider | None:
    """The provider from the settings, or None when SMS is off (any of the four is missing)."""
    provider = SmsProvider(
        url=settings.CITYHALL_SMS_URL,
        account=settings.CITYHALL_SMS_ACCOUNT,
        token=settings.CITYHALL_SMS_TOKEN,
        sender=settings.CITYHALL_SMS_FROM,
    )
    if not all((provider.url, provider.account, provider.token, provider.sender)):
        return None
    if urllib.parse.urlsplit(provider.url).scheme not in ("http", "https"):
        return None  # urlopen would also read file: and ftp: URLs
    return provider


def send_sms(provider: SmsProvider, *, to: str, body: str) -> str:
    """Send one text; return the provider's message SID ("" if an accepting answer named none)."""
    credentials = base64.b64encode(f"{provider.account}:{provider.token}".encode()).decode("ascii")
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked in configured_provider)
        provider.messages_url,
        data=urllib.parse.urlencode({"To": to, "From": provider.sender, "Body": body}).encode(),
        headers={
            "Authorization": f"Basic {credentials}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        },
        method="POST",
    )
    try:
        response = urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS)  # noqa: S310
    except urllib.error.HTTPError as error:
        detail = f"HTTP {error.code}: {_provider_message(error)}"
        if error.code >= 500 or error.code == 429:
            raise TemporaryFailure(detail) from error
        raise PermanentFailure(detail) from error
    except (urllib.error.URLError, http.client.HTTPException, TimeoutError, ConnectionError) as error:
        raise TemporaryFailure(f"{type(error).__name__}: {error}") from error
    # A 2xx status means the provider took the message: it counts as sent even if the answer is cut
    # short or odd (trying again could send it twice).
    with response:
        try:
            answer = json.loads(response.read() or b"{}")
        except (ValueError, OSError, http.client.HTTPException):
            return ""
    return str(answer.get("sid") or "") if isinstance(answer, dict) else ""


def _provider_message(error: urllib.error.HTTPError) -> str:
    """Twilio explains a refusal in the JSON body's `message`; fall back to the HTTP reason."""
    try:
        body = json.loads(error.read() or b"{}")
    except (ValueError, OSError):
        return str(error.reason)
    return str(body.get("message") or error.reason) if isinstance(body, dict) else str(error.reason)
