"""pyHanko signs and validates in asyncio coroutines; our services and views are synchronous.

pyHanko's own synchronous wrappers call `asyncio.run`, which fails in a thread that already runs an
event loop (an ASGI server's, or a test's browser driver). `run` uses this thread when it has no loop
and a short-lived worker thread when it has one, so the same service works in both.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(lambda: asyncio.run(make())).result()
