"""Following a request: the endpoint the tracking page's form posts to, and the links sent by email."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cityhall.accounts.models import User
from cityhall.core.contact import remember_given_email
from cityhall.core.errors import NotFound
from cityhall.core.ratelimit import limit_posts
from cityhall.requests.access import request_for_public
from cityhall.requests.models import ServiceRequest

from .. import selectors, services
from ..forms import FollowForm
from ..links import read_follow_token
from ..tasks import deliver_message


@require_http_methods(["GET", "POST"])
@limit_posts("follow", per_minute=10)
def follow(request: HttpRequest) -> HttpResponse:
    """POST public_id (+ email when not signed in). GET shows the same form on its own page."""
    source = request.POST if request.method == "POST" else request.GET
    user = request.user if isinstance(request.user, User) and request.user.is_active else None
    try:
        target = request_for_public(str(source.get("public_id", "")), user=user)
    except NotFound:
        return render(request, "notifications/follow_missing.html", status=404)
    form = FollowForm(source if request.method == "POST" else None)
    if request.method == "GET" or (user is None and not form.is_valid()):
        status = 400 if request.method == "POST" else 200
        return render(request, "notifications/follow.html", {"request_": target, "follow_form": form}, status=status)
    email = "" if user is not None else form.cleaned_data["email"]
    remember_given_email(request, email)  # the next form of this visit does not ask for it again
    result = services.follow_add(service_request=target, user=user, email=email, language=get_language() or "en")
    if services.needs_sending(result.confirmation):
        assert result.confirmation is not None
        message_id = result.confirmation.pk
        transaction.on_commit(lambda: deliver_message.enqueue(message_id))
    messages.success(request, _message_for(result.outcome))
    return HttpResponseRedirect(_back_to(request, target))


def _message_for(outcome: services.Outcome) -> str:
    if outcome == services.Outcome.CHECK_EMAIL:
        return _("Check your email: open the link we sent to start following this request.")
    if outcome == services.Outcome.ALREADY:
        return _("You already follow this request.")
    return _("You follow this request: we will tell you when it is resolved.")


def _back_to(request: HttpRequest, target: ServiceRequest) -> str:
    """Back to the page the form was on (the tracking page), else the request's page."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure()):
        return referer
    return f"/requests/{target.public_id}"


@never_cache
@require_http_methods(["GET", "POST"])
def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (mail scanners open links and must not confirm anything); POST, the button, confirms."""
    follow_id = read_follow_token(token, confirming=True)
    found = selectors.follow_with_request(follow_id) if follow_id else None
    if found is None:
        return render(request, "notifications/follow_link_invalid.html", status=404)
    if request.method == "GET" and found.confirmed_at is None:
        return render(request, "notifications/follow_confirm.html", {"follow": found})
    services.follow_confirm(found.pk)
    return render(request, "notifications/follow_confirmed.html", {"follow": found})


@never_cache
@require_http_methods(["GET", "POST"])
def follow_stop(request: HttpRequest, token: str) -> HttpResponse:
    follow_id = read_follow_token(token, confirming=False)
    found = selectors.follow_with_request(follow_id) if follow_id else None
    if request.method == "GET":
        if found is None:
            return render(request, "notifications/follow_link_invalid.html", status=404)
        return render(request, "notifications/follow_stop.html", {"follow": found})
    if follow_id is not None:
        services.follow_stop(follow_id=follow_id)
    return render(request, "notifications/follow_stopped.html")
