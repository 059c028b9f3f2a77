"""The installable app: the web app manifest, the service worker at the site root, the offline page.

The service worker must be served from `/sw.js` (not /static/) so that its scope is the whole site.
"""

from __future__ import annotations

import hashlib
import json

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from cityhall.catalogue.selectors import city_name, city_short_name, site_city

# The app shell: enough to open the app and start a report with no signal.
SHELL_STATIC = [
    "cityhall/base.css",
    "cityhall/error-summary.js",
    "citizen/offline.js",
    "citizen/report.js",
    "cityhall/icons/icon.svg",
]
PUSH_WORKER = "notifications/push-sw.js"


def _shell_urls() -> list[str]:
    pages = [reverse("citizen:home"), reverse("citizen:report"), reverse("citizen:offline")]
    return pages + [static(path) for path in SHELL_STATIC]


@require_safe
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker; its cache name changes whenever the shell's (hashed) asset URLs do."""
    shell = _shell_urls()
    # The notifications app's push handler joins this worker when it is there (one worker per scope).
    push = static(PUSH_WORKER) if finders.find(PUSH_WORKER) else ""
    version = hashlib.sha256(json.dumps([shell, push]).encode()).hexdigest()[:12]
    context = {"shell_json": json.dumps(shell), "push_worker": json.dumps(push), "version": version}
    response = render(request, "citizen/sw.js", context, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: name, colours, icons, and a shortcut straight to reporting."""
    icons = [
        {"src": static("cityhall/icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        {"src": static("cityhall/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("cityhall/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("cityhall/icons/maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    city = site_city()
    body = {
        # The city's, as the page header names it: the home screen and the install prompt show these.
        "name": city_name(city),
        "short_name": city_short_name(city),
        "description": _("Report a problem to the city, and watch it get fixed."),
        "start_url": reverse("citizen:home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#162e51",
        "icons": icons,
        "shortcuts": [{"name": _("Report a problem"), "url": reverse("citizen:report")}],
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/manifest+json")


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """What the service worker shows for a page it has not kept, when there is no connection."""
    return render(request, "citizen/offline.html")
