"""The preferences page: channel, timing and topics; area alerts; push devices; follows. Signed-in only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cityhall.accounts.models import User

from .. import links, selectors, services
from ..areas import area_of
from ..channels.push import configured_vapid
from ..forms import AreaAlertForm, PreferenceForm
from ..models import Topic
from ..services.weekly_digests import is_supervisor


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required let only accounts through
    return request.user


def _back() -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("notifications:preferences"))


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = _preference_form(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.preference_save(
            user=user,
            channel=form.cleaned_data["channel"],
            delivery=form.cleaned_data["delivery"],
            topics=form.cleaned_data["topics"],
            staff_digest=form.cleaned_data.get("staff_digest") if user.is_city_staff else None,
            weekly_digest=form.cleaned_data.get("weekly_digest") if "weekly_digest" in form.fields else None,
        )
        messages.success(request, _("Your choices are saved."))
        return _back()
    return _page(request, form=form, area_form=AreaAlertForm(), status=400 if form.is_bound else 200)


def _preference_form(user: User, data: Any = None) -> PreferenceForm:
    stored = selectors.preference_of(user.pk)
    initial = {
        "channel": stored.channel,
        "delivery": stored.delivery,
        "topics": [topic.value for topic in Topic if topic.value not in stored.muted],
        "staff_digest": stored.staff_digest,
        "weekly_digest": stored.weekly_digest,
    }
    return PreferenceForm(
        data,
        initial=initial,
        has_phone=bool(user.phone),
        push_on=configured_vapid() is not None,
        is_staff=user.is_city_staff,
        is_supervisor=is_supervisor(user),
    )


def _page(request: HttpRequest, *, form: PreferenceForm, area_form: AreaAlertForm, status: int = 200) -> HttpResponse:
    user = _user(request)
    keys = configured_vapid()
    alerts = list(selectors.area_alerts_for(user))
    for alert in alerts:
        alert.feed_path = links.feed_path(area_of(alert))  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "form": form,
        "area_form": area_form,
        "alerts": alerts,
        "follows": selectors.follows_for(user),
        "devices": selectors.devices_for(user),
        "vapid_public_key": keys.public_key if keys else "",
    }
    return render(request, "notifications/preferences.html", context, status=status)


@login_required
@require_POST
def area_add(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = AreaAlertForm(request.POST)
    if not form.is_valid():
        return _page(request, form=_preference_form(user), area_form=form, status=400)
    data = form.cleaned_data
    if data["kind"] == "zone":
        services.area_alert_add(user=user, zone=data["zone"], services=data["services"], delivery=data["delivery"])
    else:
        services.area_alert_add(
            user=user,
            lat=data["lat"],
            lng=data["lng"],
            radius_m=data["radius_m"],
            services=data["services"],
            delivery=data["delivery"],
        )
    messages.success(request, _("You now watch this area."))
    return _back()


@login_required
@require_POST
def area_remove(request: HttpRequest, alert_id: int) -> HttpResponse:
    if services.area_alert_remove(user=_user(request), alert_id=alert_id):
        messages.success(request, _("You no longer watch that area."))
    return _back()


@login_required
@require_POST
def unfollow(request: HttpRequest, follow_id: int) -> HttpResponse:
    if services.follow_stop(follow_id=follow_id, user=_user(request)):
        messages.success(request, _("You no longer follow that request."))
    return _back()
