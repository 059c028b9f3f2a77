"""Downloading a stored photo: every file under MEDIA_URL goes through the access check first.

The file is read through Django's storage API, from the local media directory or the private bucket.

Open photos (public photos of public categories, the ones Open311's `media_url` lists) are served
to anyone, so Open311 clients without a session keep working. Any other photo is served only to
whom `access.photo_for` allows, and marked private so no shared cache keeps it.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from cityhall.accounts.middleware import staff_without_second_factor
from cityhall.core.errors import NotFound
from cityhall.core.storage import stored_file_response
from cityhall.requests import access
from cityhall.requests.device_reports import read_device_reports


@require_safe
def photo(request: HttpRequest, path: str) -> HttpResponseBase:
    # Staff see what staff pages show only with a second factor; until then they count as residents.
    user = None if staff_without_second_factor(request) else request.user
    try:
        found = access.photo_for(path, user=user, device_reports=read_device_reports(request))
    except NotFound:
        raise Http404 from None
    # A stored photo never changes (its name is new for every upload): its date answers revalidation.
    last_modified = int(found.created_at.timestamp())
    response: HttpResponseBase | None = get_conditional_response(request, last_modified=last_modified)
    if response is None:
        # Photos are stored already sanitised (EXIF stripped, re-encoded), so serving them as files is safe.
        # From a bucket the object streams through here: the bucket itself is never public.
        try:
            response = stored_file_response(path, content_type=found.content_type)
        except FileNotFoundError:
            raise Http404 from None
        response["Last-Modified"] = http_date(last_modified)
    if not access.photo_is_open(found):
        patch_cache_control(response, private=True)
        patch_vary_headers(response, ["Cookie"])
    return response
