"""HTTP servers on loopback for tests: run one on its own thread for a block, or record what is POSTed to it."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

LOOPBACK = "127.0.0.1"

Server = TypeVar("Server", bound=ThreadingHTTPServer)


@contextmanager
def serving(server: Server) -> Iterator[Server]:
    """Run an HTTP server on its own thread for the block; stop it and free its port afterwards."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass(frozen=True)
class Post:
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes


class RecordingServer(ThreadingHTTPServer):
    """Records each POST; answers the next of `statuses`, then `default_status`, with an empty body."""

    daemon_threads = True
    default_status = 204

    def __init__(self) -> None:
        super().__init__((LOOPBACK, 0), _RecordingHandler)
        self.calls: list[Post] = []
        self.statuses: deque[int] = deque()
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.server_address[1]}"

    def headers_for(self, status: int, number: int) -> dict[str, str]:
        """Headers of the answer to the `number`-th call (from 1)."""
        return {}


class _RecordingHandler(BaseHTTPRequestHandler):
    server: RecordingServer

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with self.server.lock:
            self.server.calls.append(Post(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            status = self.server.statuses.popleft() if self.server.statuses else self.server.default_status
            number = len(self.server.calls)
        self.send_response(status)
        for name, value in self.server.headers_for(status, number).items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass
