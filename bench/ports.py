"""A free loopback port for a server a benchmark starts, and waiting until it answers."""

from __future__ import annotations

import socket
import time
import urllib.request
from collections.abc import Callable


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_answers(url: str, *, seconds: float = 60) -> None:
    """Return once `url` answers 2xx; raise the last error after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)  # waiting for a server to start, not measuring


def accepts_connections(port: int) -> bool:
    """Whether something listens on this loopback port (a broker started without HTTP)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def wait_for(condition: Callable[[], bool], *, pump: Callable[[], None] = lambda: None, limit: float = 30) -> None:
    """Wait on a condition (pumping a client's network loop meanwhile); AssertionError after `limit` seconds."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for a condition")
        pump()
