"""Who may download which photo, over HTTP: every kind of photo × every kind of visitor (issue 18, finding 8).

Open photos (public photos of public categories) are anyone's, as Open311's `media_url` promises.
Staff's internal photos are the 311 desk's, admins' and the owning department's; a private
category's photos are also its reporter's (signed in, or holding the tracking token on this
device). Anyone else gets the same 404 as for a file that does not exist.
"""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.urls import reverse

from cityhall.accounts.models import User
from cityhall.accounts.roles import Role
from cityhall.catalogue.models import Service
from cityhall.citizen.tests.track_helpers import act
from cityhall.requests.device_reports import COOKIE_NAME, SALT
from cityhall.requests.models import Attachment, ServiceRequest
from cityhall.requests.tests.builders import jpeg_with_gps, put_in_status, submit
from cityhall.requests.workflow import Action, Resolution, Status

pytestmark = pytest.mark.django_db

KINDS = ["report", "completion", "internal", "private_category"]
VISITORS = [
    "anonymous",
    "reporter",
    "reporter_token",  # the reporter on a device that opened their tracking link, not signed in
    "other_resident",
    "agent",
    "staff",  # of the owning department
    "other_staff",  # of another department
    "admin",
    "forged_cookie",  # a device cookie holding the right token, signed with the wrong key
    "wrong_token_cookie",  # a properly signed device cookie with a wrong token
]
SEES = {
    "report": set(VISITORS),
    "completion": set(VISITORS),  # shown on the public tracking page and in Open311 updates
    "internal": {"agent", "staff", "admin"},
    "private_category": {"reporter", "reporter_token", "agent", "staff", "admin"},
}


def _photo_of_kind(kind: str, people, service, public_works) -> tuple[ServiceRequest, Attachment]:
    potholes: Service = service("potholes")
    if kind == "private_category":
        potholes.is_private = True
        potholes.save(update_fields=["is_private"])
    request = submit(potholes, reporter=people["resident"], photos_in=[jpeg_with_gps()])
    request = put_in_status(request, Status.IN_PROGRESS, department=public_works, assignee=people["crew"])
    if kind == "completion":
        act(
            request,
            Action.RESOLVE,
            people["staff"],
            resolution=Resolution.FIXED,
            public_note="Filled.",
            photos=[jpeg_with_gps()],
        )
    if kind == "internal":
        act(
            request, Action.NOTE, people["staff"], internal_note="Gas smell, call the utility", photos=[jpeg_with_gps()]
        )
    purpose = {"completion": "completion", "internal": "update"}.get(kind, "report")
    return request, request.attachments.get(purpose=purpose)


def _as(client, visitor: str, request: ServiceRequest, people) -> None:
    if visitor in people:
        client.force_login(people[visitor])
    elif visitor == "reporter":
        client.force_login(people["resident"])
    elif visitor == "reporter_token":
        # The honest way the token reaches a device: opening the tracking link.
        opened = client.get(reverse("citizen:track", args=[request.public_id]), {"token": request.tracking_token})
        assert opened.status_code == 200 and COOKIE_NAME in opened.cookies
    elif visitor == "forged_cookie":
        client.cookies[COOKIE_NAME] = signing.dumps([[request.public_id, request.tracking_token]], salt="guessed")
    elif visitor == "wrong_token_cookie":
        client.cookies[COOKIE_NAME] = signing.dumps([[request.public_id, "x" * 32]], salt=SALT, compress=True)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("kind", KINDS)
def test_each_visitor_downloads_exactly_the_photos_they_may_see(client, people, service, public_works, kind, visitor):
    request, photo = _photo_of_kind(kind, people, service, public_works)
    _as(client, visitor, request, people)
    expected = 200 if visitor in SEES[kind] else 404
    for name in (photo.image.name, photo.thumbnail.name):
        response = client.get(f"/media/{name}")
        assert response.status_code == expected, (kind, visitor, name)
        if expected == 200:
            assert response["Content-Type"] == photo.content_type
            assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"  # a JPEG
            private = "private" in response.get("Cache-Control", "")
            assert private == (kind in ("internal", "private_category"))  # never kept by a shared cache


def test_staff_without_a_second_factor_get_no_internal_photos(client, people, service, public_works):
    """Staff pages open only with a second factor (docs/accounts.md); what they show is no different."""
    _request, photo = _photo_of_kind("internal", people, service, public_works)
    newcomer = User.objects.create_user(
        "newcomer@example.org", None, role=Role.STAFF, department=public_works, name="newcomer"
    )
    client.force_login(newcomer)
    assert client.get(f"/media/{photo.image.name}").status_code == 404
    client.force_login(people["staff"])  # the same role and department, with TOTP
    assert client.get(f"/media/{photo.image.name}").status_code == 200


def test_a_refusal_looks_like_a_file_that_does_not_exist(client, people, service, public_works):
    _request, photo = _photo_of_kind("internal", people, service, public_works)
    refused = client.get(f"/media/{photo.image.name}")
    missing = client.get(f"/media/{photo.image.name.replace('.jp', '0.jp')}")
    assert refused.status_code == missing.status_code == 404


def test_the_media_directory_is_not_browsable_and_stray_files_are_not_served(
    client, people, service, public_works, settings
):
    _request, photo = _photo_of_kind("report", people, service, public_works)
    folder = photo.image.name.rsplit("/", 1)[0]
    (settings.MEDIA_ROOT / "requests" / "notes.txt").write_text("not a photo of any request")
    client.force_login(people["admin"])
    for path in ("/media/", "/media/requests/", f"/media/{folder}/", "/media/requests/notes.txt", "/media/../x"):
        assert client.get(path).status_code == 404, path


def test_stored_names_are_random_not_derived_from_the_request_or_the_photo(people, service, public_works):
    same = jpeg_with_gps()
    first = submit(service("potholes"), photos_in=[same]).attachments.get()
    second = submit(service("potholes"), photos_in=[same]).attachments.get()
    for photo in (first, second):
        stem = re.fullmatch(r"requests/[0-9a-f]{2}/([0-9a-f]{32})\.jpe?g", photo.image.name)
        assert stem, photo.image.name  # 122 random bits (uuid4): nothing to guess from
        assert photo.request.public_id not in photo.image.name
    assert first.image.name != second.image.name and first.sha256 == second.sha256


def test_an_open311_client_fetches_media_url_without_a_session(client, people, service, public_works):
    request, photo = _photo_of_kind("report", people, service, public_works)
    listed = client.get("/open311/v2/requests.json", {"service_request_id": request.public_id}).json()
    media_url = listed[0]["media_url"]
    assert media_url.endswith(photo.image.name)
    assert client.get(media_url).status_code == 200


@pytest.mark.parametrize("kind", ["internal", "private_category"])
def test_no_public_page_or_feed_gives_away_the_address_of_a_photo_that_is_not_open(
    client, people, service, public_works, kind
):
    request, photo = _photo_of_kind(kind, people, service, public_works)
    act(request, Action.HOLD, people["staff"], reason="Waiting for parts.")  # a public update too
    stem = photo.image.name.rsplit("/", 1)[1].split(".")[0]  # the image and its thumbnail share it
    public = [
        client.get("/requests"),
        client.get("/requests/map.json"),
        client.get("/open311/v2/requests.json", {"extensions": "true"}),
        client.get("/open311/v2/requests.xml", {"extensions": "true"}),
        client.get(f"/open311/v2/requests/{request.public_id}.json", {"extensions": "true"}),
        client.get("/open311/v2/servicerequestupdates.json"),
    ]
    if kind == "internal":  # the request itself is public: its page is, and the reporter's view of it
        public.append(client.get(reverse("citizen:track", args=[request.public_id])))
        public.append(client.get(reverse("citizen:track", args=[request.public_id]), {"token": request.tracking_token}))
        public.append(client.get(reverse("citizen:track_fragment", args=[request.public_id])))
    for response in public:
        assert response.status_code in (200, 404), response.request["PATH_INFO"]  # a private request is not found
        assert stem not in response.content.decode(), response.request["PATH_INFO"]
    client.force_login(people["staff"])  # and the workspace does show it to the department
    assert stem in client.get(reverse("staff:request", args=[request.public_id])).content.decode()
