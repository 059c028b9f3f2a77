"""The city profile's pages: thin views over forms and services. Every page needs a signed-in person."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cityhall.accounts.language import use_language
from cityhall.accounts.selectors import saved_places_for
from cityhall.accounts.services import saved_place_remove, saved_place_save
from cityhall.catalogue.selectors import site_city
from cityhall.core import clock
from cityhall.core.errors import ValidationFailed
from cityhall.core.geometry import centre_of
from cityhall.core.map_tiles import tiles_url
from cityhall.core.media_urls import media_url_maker
from cityhall.requests.device_reports import forget_device_reports, read_device_reports
from cityhall.requests.services import claimable_requests, service_requests_claim

from .export import export_for
from .forms import DeleteAccountForm, DetailsForm, PlaceForm
from .services import account_erase


def _in_profile_language(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Saving the profile's language switches the site to it."""
    return use_language(request, response, request.user.language)  # type: ignore[union-attr]


def _render_home(
    request: HttpRequest, *, details: DetailsForm | None = None, place_form: PlaceForm | None = None
) -> HttpResponse:
    user = request.user
    city = site_city()
    context = {
        "details": details or DetailsForm(instance=user),  # type: ignore[arg-type]
        "place_form": place_form or PlaceForm(),
        "places": saved_places_for(user),
        "claimable": claimable_requests(user=user, device_reports=read_device_reports(request)),  # type: ignore[arg-type]
        # The map that picks a saved place: where it opens, and its tiles (none, no map: the address will do).
        "city_centre": centre_of(city.boundary) if city else None,
        "map_tiles": tiles_url() if city else "",
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "profile/home.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    """The profile: details (POST saves them), saved places, requests to claim, security, data and deletion."""
    if request.method == "GET":
        return _render_home(request)
    details = DetailsForm(request.POST, instance=request.user)  # type: ignore[arg-type]
    if not details.is_valid():
        return _render_home(request, details=details)
    details.save()
    translation.activate(request.user.language)  # type: ignore[union-attr]
    messages.success(request, _("Your details are saved."))
    return _in_profile_language(request, redirect("profile:home"))


@login_required
@require_POST
def place_add(request: HttpRequest) -> HttpResponse:
    form = PlaceForm(request.POST)
    if form.is_valid():
        try:
            saved_place_save(user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationFailed as refused:
            form.add_error("label", refused.message)
        else:
            messages.success(request, _("Place saved."))
            return redirect(f"{reverse('profile:home')}#places")
    return _render_home(request, place_form=form)


@login_required
@require_POST
def place_remove(request: HttpRequest, place_id: int) -> HttpResponse:
    if saved_place_remove(user=request.user, place_id=place_id):  # type: ignore[arg-type]
        messages.success(request, _("Place removed."))
    return redirect(f"{reverse('profile:home')}#places")


@login_required
@require_POST
def claim(request: HttpRequest) -> HttpResponse:
    claimed = service_requests_claim(user=request.user, device_reports=read_device_reports(request))  # type: ignore[arg-type]
    count = len(claimed)
    messages.success(
        request,
        ngettext("%(count)d request added to your profile.", "%(count)d requests added to your profile.", count)
        % {"count": count},
    )
    return redirect("profile:home")


@never_cache
@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """Download my data: a JSON file of everything the city holds about this person."""
    data = export_for(request.user, media_url=media_url_maker(request))  # type: ignore[arg-type]
    document = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(document, content_type="application/json; charset=utf-8")
    filename = f"cityhall-my-data-{clock.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    """Confirm by typing the account's email; then erase everything and sign out, for good."""
    if request.user.is_city_staff:  # type: ignore[union-attr]
        # Staff accounts are the city's: their actions stay attributed in the audit, so an admin closes them.
        return render(request, "profile/delete_staff.html", status=403)
    form = DeleteAccountForm(request.POST or None, user=request.user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        user = request.user
        language = user.language  # type: ignore[union-attr]
        logout(request)  # ends this session first; the erasure ends the others
        account_erase(user=user)  # type: ignore[arg-type]
        translation.activate(language)
        response = render(request, "profile/deleted.html")
        forget_device_reports(response)
        return response
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "export_url": reverse("profile:export")}
    return render(request, "profile/delete.html", context, status=status)
