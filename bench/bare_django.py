"""The yardstick for bench.open311_load: a bare Django view returning 50 rows from SQL.

No middleware, no parsing, no filters: one query through Django's cursor and JsonResponse, under
the same gunicorn command line as the product. The Open311 issue calibrated its targets against
such a view (≈900 requests/s on the reference machine), so the bench prints our endpoints next to
it and as a share of it: a figure that survives a slow or busy machine better than requests/s do.

This file is the view, its URL and its settings at once, so the yardstick cannot pick up anything
from the product's configuration but the database.
"""

from __future__ import annotations

import os

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path

from config.settings import DATABASES  # noqa: F401 - the one setting taken from the product

os.environ["DJANGO_SETTINGS_MODULE"] = __name__

DEBUG = False
SECRET_KEY = "bench-only"  # serves nothing but the bench, on loopback
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = __name__
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
USE_TZ = True

ROWS_SQL = (
    "SELECT id, public_id, status, status_note, resolution, service_id, description, department_id, "
    "requested_at, updated_at, expected_at, address, address_id, location_description, zipcode, lat, lng, "
    "media_url, report_photo FROM requests_servicerequest ORDER BY id DESC LIMIT 50"
)


def fifty_rows(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute(ROWS_SQL)
        names = [column[0] for column in cursor.description]  # SQLite's description is a plain tuple
        rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    return JsonResponse(rows, safe=False)


urlpatterns = [path("rows.json", fifty_rows)]

from django.core.wsgi import get_wsgi_application  # noqa: E402 - Django needs the settings above first

application = get_wsgi_application()
