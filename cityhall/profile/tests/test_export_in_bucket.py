"""Download my data with photos kept in an S3-compatible bucket (moto's server on loopback, over HTTP):
each photo's address in the file opens for her, from the application, never from the bucket."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from cityhall.requests.tests.builders import jpeg_with_gps, submit

pytestmark = pytest.mark.django_db


def test_the_photos_in_her_download_open_for_her_and_for_no_one_else(client, people, service, bucket):
    records = service("police-reports-records")  # a private category: its photos are hers and staff's only
    sent = submit(records, reporter=people["resident"], photos_in=[jpeg_with_gps()]).attachments.get()
    assert sent.image.name in bucket.object_keys()

    client.force_login(people["resident"])
    data = json.loads(client.get(reverse("profile:export")).content)
    (photo,) = [photo for request in data["requests"] for photo in request["photos"]]
    address = urlsplit(photo["url"]).path
    assert address == f"/media/{sent.image.name}"

    response = client.get(address)
    assert response.status_code == 200 and "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == bucket.read(sent.image.name)
    assert Client().get(address).status_code == 404
    other = Client()
    other.force_login(people["other_resident"])
    assert other.get(address).status_code == 404
    assert bucket.anonymous_get(sent.image.name) == 403
