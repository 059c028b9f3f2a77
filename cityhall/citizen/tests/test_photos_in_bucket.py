"""Photos and the city's logo kept in an S3-compatible bucket (moto's server on loopback, over HTTP).

The bucket is never public: each object answers 403 to anyone without the bucket's keys, and people
get photos from the application, after the same access check as on the local disk (docs/privacy.md).
"""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from cityhall.catalogue.models import Jurisdiction
from cityhall.citizen.tests.report_helpers import pothole_form
from cityhall.citizen.tests.track_helpers import act
from cityhall.requests.models import ServiceRequest
from cityhall.requests.tests.builders import jpeg_with_gps, put_in_status, submit
from cityhall.requests.workflow import Action, Status

pytestmark = pytest.mark.django_db


def _downloaded(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _local_files(settings) -> list[str]:
    return (
        [str(path) for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()] if settings.MEDIA_ROOT.exists() else []
    )


def test_a_resident_s_photo_goes_to_the_bucket_and_the_public_page_shows_it_from_there(
    client, service, bucket, settings
):
    upload = SimpleUploadedFile("pothole.jpg", jpeg_with_gps(), content_type="image/jpeg")
    assert client.post("/report/potholes", pothole_form(photos=[upload])).status_code == 302
    created = ServiceRequest.objects.get()
    photo = created.attachments.get()

    assert bucket.object_keys() == {photo.image.name, photo.thumbnail.name}
    assert _local_files(settings) == []  # nothing written beside it on the disk
    stored = bucket.read(photo.image.name)
    assert not Image.open(BytesIO(stored)).getexif()  # sanitised before it reached the bucket

    page = Client().get(f"/requests/{created.public_id}").content.decode()
    assert f'href="/media/{photo.image.name}"' in page and f'src="/media/{photo.thumbnail.name}"' in page
    assert _downloaded(Client().get(f"/media/{photo.image.name}")) == stored
    assert _downloaded(Client().get(f"/media/{photo.thumbnail.name}")) == bucket.read(photo.thumbnail.name)

    assert bucket.anonymous_get(photo.image.name) == 403  # open to all through the site, never from the bucket
    assert bucket.anonymous_get(photo.thumbnail.name) == 403


def test_an_internal_photo_in_the_bucket_is_refused_to_the_public_and_served_to_staff(
    client, people, service, public_works, bucket
):
    request = submit(service("potholes"), reporter=people["resident"])
    request = put_in_status(request, Status.IN_PROGRESS, department=public_works, assignee=people["crew"])
    act(request, Action.NOTE, people["staff"], internal_note="Gas smell, call the utility", photos=[jpeg_with_gps()])
    photo = request.attachments.get(is_public=False)
    address = f"/media/{photo.image.name}"

    assert client.get(address).status_code == 404
    client.force_login(people["resident"])  # the reporter: staff's working photo is not theirs
    assert client.get(address).status_code == 404
    client.force_login(people["staff"])
    response = client.get(address)
    assert _downloaded(response) == bucket.read(photo.image.name)
    assert response["Content-Type"] == "image/jpeg" and "private" in response["Cache-Control"]
    assert bucket.anonymous_get(photo.image.name) == 403


def test_a_photo_whose_object_is_gone_is_a_404_not_an_error(client, service, bucket):
    photo = submit(service("potholes"), photos_in=[jpeg_with_gps()]).attachments.get()
    bucket.client.delete_object(Bucket=bucket.name, Key=photo.image.name)

    assert client.get(f"/media/{photo.image.name}").status_code == 404
    assert client.get(f"/media/{photo.thumbnail.name}").status_code == 200


def test_the_city_s_logo_lives_in_the_bucket_and_nothing_else_is_reached_through_its_address(
    client, santa_monica, people, service, public_works, bucket
):
    png = BytesIO()
    Image.new("RGB", (40, 40), (0, 80, 160)).save(png, format="PNG")
    santa_monica.logo = SimpleUploadedFile("seal.png", png.getvalue(), content_type="image/png")
    santa_monica.save()
    logo = Jurisdiction.objects.get(pk=santa_monica.pk).logo.name
    assert logo in bucket.object_keys()

    assert f'src="/media/{logo}"' in client.get("/").content.decode()
    response = client.get(f"/media/{logo}")
    assert _downloaded(response) == png.getvalue() and response["Content-Type"] == "image/png"
    assert bucket.anonymous_get(logo) == 403

    request = submit(service("potholes"), reporter=people["resident"])
    request = put_in_status(request, Status.IN_PROGRESS, department=public_works, assignee=people["crew"])
    act(request, Action.NOTE, people["staff"], internal_note="Utility's", photos=[jpeg_with_gps()])
    internal = request.attachments.get(is_public=False).image.name
    assert client.get(f"/media/city/../{internal}").status_code in (400, 404)
    assert client.get(f"/media/city/%2E%2E/{internal}").status_code in (400, 404)
