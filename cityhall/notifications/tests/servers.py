"""Real servers on loopback for the channels to talk to: an SMTP server and a Twilio-like SMS API."""

from __future__ import annotations

import base64
import email
import email.policy
import json
import threading
from collections import deque
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from aiosmtpd.controller import Controller

from tests.loopback import LOOPBACK as LOOPBACK
from tests.loopback import RecordingServer


class LoopbackController(Controller):
    """aiosmtpd on a port the OS picks: the port is read back from the bound socket before use."""

    def _trigger_server(self) -> None:
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


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


@dataclass
class SmsCall:
    path: str
    authorization: str
    form: dict[str, str]


class TwilioLike(ThreadingHTTPServer):
    """Answers POST /2010-04-01/Accounts/<account>/Messages.json like Twilio, checking Basic auth.

    `statuses` lists the HTTP statuses of the next answers (201 once it runs out).
    """

    daemon_threads = True

    def __init__(self, account: str, token: str) -> None:
        super().__init__((LOOPBACK, 0), _TwilioHandler)
        self.account, self.token = account, token
        self.calls: list[SmsCall] = []
        self.statuses: deque[int] = deque()
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.server_address[1]}"

    def expected_authorization(self) -> str:
        return "Basic " + base64.b64encode(f"{self.account}:{self.token}".encode()).decode()


class _TwilioHandler(BaseHTTPRequestHandler):
    server: TwilioLike

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        form = {key: values[0] for key, values in parse_qs(body).items()}
        call = SmsCall(self.path, self.headers.get("Authorization", ""), form)
        with self.server.lock:
            self.server.calls.append(call)
            status = self.server.statuses.popleft() if self.server.statuses else 201
            sid = f"SM{len(self.server.calls):032d}"
        if self.path != f"/2010-04-01/Accounts/{self.server.account}/Messages.json":
            status, answer = 404, {"code": 20404, "message": "The requested resource was not found"}
        elif call.authorization != self.server.expected_authorization():
            status, answer = 401, {"code": 20003, "message": "Authenticate"}
        elif status >= 400:
            answer = {"code": 20500, "message": "Service unavailable"}
        else:
            answer = {"sid": sid, "status": "queued", "to": form.get("To"), "from": form.get("From")}
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass


class PushServiceLike(RecordingServer):
    """A push service (RFC 8030) on loopback: records each POST to /push/<id>; answers `statuses` (201 after)."""

    default_status = 201

    def headers_for(self, status: int, number: int) -> dict[str, str]:
        return {"Location": f"{self.url}/message/{number}"} if status == 201 else {}
