"""ASGI entry point, for the live (server-sent events) streams only.

`cityhall serve` runs it on its own port beside the WSGI workers, and a proxy may route `/live/`
to it. It answers the streams and nothing else: the pages, the API and the admin are served by
the WSGI workers, with their limits and middleware, and must not be reachable by a second door.
"""

import os
from typing import Any

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
site = get_asgi_application()

LIVE_PREFIX = "/live/"
NOT_HERE = b"Not found: this server answers only the live streams (/live/)."


async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "http" and not scope["path"].startswith(LIVE_PREFIX):
        await send(
            {
                "type": "http.response.start",
                "status": 404,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"x-content-type-options", b"nosniff")],
            }
        )
        await send({"type": "http.response.body", "body": NOT_HERE})
        return
    await site(scope, receive, send)
