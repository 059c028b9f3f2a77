"""Helpers of the report journeys in the browser: no internet, a signed-in context, keyboard moves, photos."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client
from PIL import Image

# Anything that is not the live server (map tiles) is refused: tests never reach the internet.
OUTSIDE = re.compile(r"^https?://(?!(localhost|127\.0\.0\.1)[:/])")


def offline_from_the_internet(page: Any, *, service_worker: bool = False) -> Any:
    """Refuse every request to the internet; and, unless asked, the service worker.

    The worker fetches the app shell in parallel with the page's own requests; the test database (an
    in-memory SQLite shared between threads) answers concurrent writers with "table is locked".
    Only the offline journey needs the worker.
    """
    page.context.route(OUTSIDE, lambda route: route.abort())
    if not service_worker:
        page.context.route("**/sw.js", lambda route: route.abort())
    return page


def sign_in(page: Any, user: Any, live_server: Any) -> None:
    """Give the browser the session of `user`, as if they had signed in."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def big_photo(folder: Path, name: str = "pothole.jpg") -> Path:
    """A 3000×2000 phone-sized JPEG (noisy, so it is large): the browser should shrink it."""
    image = Image.effect_noise((3000, 2000), 60).convert("RGB")
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    path = folder / name
    path.write_bytes(buffer.getvalue())
    return path


def tab_to(page: Any, selector: str, *, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus (fails if it never does)."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")
