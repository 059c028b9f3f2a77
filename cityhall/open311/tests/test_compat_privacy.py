"""Privacy: what a reporter gives a partner, and what staff write internally, never comes back from a GET;
photos are served without their EXIF GPS; private categories stay out of every list."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cityhall.requests import access, services
from cityhall.requests.models import ServiceRequest
from cityhall.requests.tests.builders import jpeg_with_gps, submit
from cityhall.requests.workflow import Action

from .helpers import (
    BASE,
    FORMATS,
    PRIVATE,
    assert_error,
    created_id,
    describe,
    get_both,
    media_path,
    report,
    window,
)

pytestmark = pytest.mark.django_db
INTERNAL = "INTERNAL-ONLY: the reporter is the councillor's neighbour"


def every_get(client, public_ids: list[str]) -> dict[str, bytes]:
    answers = {}
    for fmt in FORMATS:
        urls = {
            "list": (f"requests.{fmt}", {}),
            "list, extensions": (f"requests.{fmt}", {"extensions": "true"}),
            "list by id": (f"requests.{fmt}", {"service_request_id": ",".join(public_ids), "extensions": "true"}),
            "updates": (f"servicerequestupdates.{fmt}", window()),
            **{f"one {i}": (f"requests/{i}.{fmt}", {}) for i in public_ids},
            **{f"one {i}, extensions": (f"requests/{i}.{fmt}", {"extensions": "true"}) for i in public_ids},
        }
        for name, (url, params) in urls.items():
            response = client.get(f"{BASE}{url}", params)
            assert response.status_code == 200, f"{name}: {describe(response)}"
            answers[f"{name} ({fmt})"] = response.content
    return answers


def test_reporter_details_and_internal_notes_never_appear_in_any_get(client, key, people):
    photo = SimpleUploadedFile("p.jpg", jpeg_with_gps((320, 240)), "image/jpeg")
    public_ids = [
        created_id(client.post(f"{BASE}requests.json", {**report(api_key=key), **PRIVATE})),
        created_id(client.post(f"{BASE}requests.xml", {**report(api_key=key), **PRIVATE, "media": photo}), "xml"),
    ]
    stored = ServiceRequest.objects.get(public_id=public_ids[0])
    assert stored.reporter_email == PRIVATE["email"] and stored.device_id == PRIVATE["device_id"]  # kept for staff
    admin = access.actor_for(people["admin"], stored)
    services.service_request_transition(
        service_request=stored, action=Action.NOTE, actor=admin, change=services.Change(internal_note=INTERNAL)
    )
    update = {"api_key": key, "service_request_id": public_ids[0], "description": "Any news?", **PRIVATE}
    assert client.post(f"{BASE}servicerequestupdates.json", update).status_code == 200

    secrets = [*PRIVATE.values(), "3105550199", "Zebulonia Quixotewright", INTERNAL, stored.tracking_token]
    for name, content in every_get(client, public_ids).items():
        text = content.decode("utf-8").lower()
        for secret in secrets:
            assert secret.lower() not in text, f"{secret!r} appears in GET {name}"


@pytest.mark.urls("cityhall.open311.tests.helpers")
def test_an_uploaded_photo_is_served_as_a_jpeg_without_exif_gps(client, key):
    original = jpeg_with_gps()
    assert Image.open(BytesIO(original)).getexif().get_ifd(0x8825)  # the upload does carry GPS
    photo = SimpleUploadedFile("IMG_0001.jpg", original, "image/jpeg")
    public_id = created_id(client.post(f"{BASE}requests.json", {**report(api_key=key), "media": photo}))
    (item,) = get_both(client, f"requests/{public_id}", "request_one_extended", {"extensions": "true"})
    urls = {item["media_url"], *item["extended_attributes"]["photos"]}
    for url in urls:
        response = client.get(media_path(url))
        assert response.status_code == 200, url
        assert response["Content-Type"] == "image/jpeg"
        content = b"".join(response.streaming_content)
        image = Image.open(BytesIO(content))
        assert image.format == "JPEG"
        exif = image.getexif()
        assert not exif.get_ifd(0x8825), "GPS IFD survived"
        assert 0x010F not in exif and b"PhoneMaker" not in content


@pytest.mark.parametrize("fmt", FORMATS)
def test_private_categories_are_never_listed_or_shown(client, service, fmt):
    private = submit(service("investigations-detectives"), description="Confidential tip")
    assert service("investigations-detectives").is_private
    listed = client.get(f"{BASE}requests.{fmt}", {"service_request_id": private.public_id})
    assert private.public_id.encode() not in listed.content and b"Confidential tip" not in listed.content
    assert b"Confidential tip" not in client.get(f"{BASE}requests.{fmt}", {"q": "Confidential"}).content
    assert private.public_id.encode() not in client.get(f"{BASE}servicerequestupdates.{fmt}", window()).content
    assert_error(client.get(f"{BASE}requests/{private.public_id}.{fmt}"), 404, fmt)
    assert b"investigations-detectives" not in client.get(f"{BASE}services.{fmt}").content


# Names as reporters type them into their own descriptions and notes: in another case, and with letters
# beyond ASCII, whose case the quick check for ASCII text cannot judge (requests/services/privacy.py).
REPORTERS = [
    ({"first_name": "Wilhelmina", "last_name": "Frostbottom"}, "WILHELMINA Frostbottom saw it first"),
    ({"first_name": "Zoë", "last_name": "Ångström"}, "ZOË ÅNGSTRÖM again, by the café"),
    ({"email": "odalys.probe@example.org"}, "Write to ODALYS.PROBE@EXAMPLE.ORG, or call 310 555 0142"),
]


def test_each_reporter_s_own_name_is_hidden_from_their_text_in_any_case_in_every_get(client, key):
    public_ids = []
    for contact, said in REPORTERS * 2:  # twice: a page holds the same reporter more than once
        public_ids.append(
            created_id(client.post(f"{BASE}requests.json", report(api_key=key, description=said, **contact)))
        )
        update = {"api_key": key, "service_request_id": public_ids[-1], "description": f"Still there. {said}"}
        assert client.post(f"{BASE}servicerequestupdates.json", update).status_code == 200
    words = ["wilhelmina", "frostbottom", "zoë", "ångström", "odalys.probe", "310 555 0142"]
    for name, content in every_get(client, public_ids).items():
        text = content.decode("utf-8").lower()
        for word in words:
            assert word not in text, f"{word!r} appears in GET {name}"
        if name.startswith("list"):
            assert "saw it first" in text and "by the café" in text, f"the rest of the text is gone from GET {name}"
