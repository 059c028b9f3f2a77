"""Real servers on loopback for the channels to talk to: a Twilio-like SMS API and a push service (the SMTP
server is every app's: tests/smtp.py)."""

from __future__ import annotations

import base64
import json
import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from tests.loopback import LOOPBACK as LOOPBACK
from tests.loopback import RecordingServer


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
