"""Error pages in the site's frame and the person's language, each with a way on.

The resident app owns the site's frame (header, footer, language switch), so it owns the error
pages too: the root URL map points Django's handlers here. A missing request number gets the
"Find your request" form again, filled with what was typed, so a mistyped number is one edit away.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

PAGES = {
    400: (
        _("We could not read that"),
        _("Something in the address or the form was not as we expected, so nothing was done. Go back and try again."),
    ),
    403: (
        _("You cannot open this page"),
        _("This page is not open to you. If you think it should be, sign in with the account that can see it."),
    ),
    404: (
        _("Page not found"),
        _("There is no page at this address. Check it for a typing mistake, or start again from the home page."),
    ),
    500: (
        _("Something went wrong on our side"),
        _("We could not finish this. Please try again in a few minutes. If someone is in danger, call 911."),
    ),
}

CSRF_EXPIRED = (
    _("This form has expired"),
    _("For your safety a form only works for a while after it is opened. Go back, reload the page and send it again."),
)

# What a person sees when even the error page cannot be drawn (the database or templates are down).
BARE_500 = (
    '<!doctype html><html lang="en"><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Something went wrong</title>'
    "<main><h1>Something went wrong on our side</h1><p>Please try again in a few minutes.</p>"
    '<p><a href="/">Back to the start</a></p></main></html>'
)


def _page(
    request: HttpRequest, status: int, title: StrOrPromise, message: StrOrPromise, **extra: object
) -> HttpResponse:
    context = {"title": title, "message": message, "status": status, **extra}
    return render(request, "citizen/error.html", context, status=status)


def _missing_request_number(request: HttpRequest) -> str | None:
    """The number typed, when the missing page is a request's tracking page."""
    match = request.resolver_match
    if match is not None and match.view_name.startswith("citizen:track"):
        return str(match.kwargs.get("public_id", ""))[:32]
    return None


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400, *PAGES[400])


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403, *PAGES[403])


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    number = _missing_request_number(request)
    if number is not None:
        return _page(
            request,
            404,
            _("We could not find request %(number)s") % {"number": number},
            _(
                "Check the number: it has 8 digits and is in the confirmation you got when you reported it. "
                "If you reported it without signing in, open the tracking link we sent you."
            ),
            request_number=number,
        )
    return _page(request, 404, *PAGES[404])


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return _page(request, 500, *PAGES[500])
    except Exception:  # the page itself failed (database down, a template error): say so plainly
        logger.exception("The 500 page could not be drawn")
        return HttpResponse(BARE_500, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(request, 403, *CSRF_EXPIRED)
