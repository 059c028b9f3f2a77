"""WSGI entry point: request/response traffic runs under a WSGI server (gunicorn).

Open311 requests take a short middleware chain (settings.API_MIDDLEWARE): machines calling the
API have no session, user, language, messages or CSRF token, and the full chain cost a tenth of
a list request's time. Everything else takes settings.MIDDLEWARE.
"""

import os

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application

from cityhall.open311.middleware import is_api_path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
site = get_wsgi_application()


class ApiHandler(WSGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        # Django builds a handler's chain from settings.MIDDLEWARE; this runs once, at start-up.
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = settings.API_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


api = ApiHandler()


def application(environ, start_response):  # type: ignore[no-untyped-def]
    handler = api if is_api_path(environ.get("PATH_INFO", "")) else site
    return handler(environ, start_response)
