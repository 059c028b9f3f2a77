"""An S3-compatible server on loopback for the tests that keep files in a bucket.

moto's server mode answers S3's HTTP API as AWS S3 or MinIO would, so the product talks to it over
HTTP through boto3 exactly as in production. It starts once per test process, on a free port of
127.0.0.1, only when a test asks for `bucket`, and stops after the last test. Each test gets a bucket
of its own, configured the way production is: through the CITYHALL_S3_* variables that
config/settings.py reads (`default_storage_from`).
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from cityhall.core.storage_settings import default_storage_from

# moto keeps any key pair; the product must still sign every request with one, as against S3.
ACCESS_KEY, SECRET_KEY, REGION = "cityhall-test", "cityhall-test-secret", "us-east-1"


@dataclass(frozen=True)
class Bucket:
    """A bucket on the loopback server, and an S3 client that reads it as its owner."""

    endpoint: str
    name: str
    client: Any

    def object_keys(self) -> set[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return {entry["Key"] for page in pages for entry in page.get("Contents", ())}

    def read(self, key: str) -> bytes:
        body: bytes = self.client.get_object(Bucket=self.name, Key=key)["Body"].read()
        return body

    def object_url(self, key: str) -> str:
        """Where the object sits in the bucket, as a browser would ask for it (path-style)."""
        return f"{self.endpoint}/{self.name}/{key}"

    def anonymous_get(self, key: str) -> int:
        """The HTTP status of an unsigned GET of the object, as anyone on the internet would send it."""
        try:
            with urllib.request.urlopen(self.object_url(key), timeout=10) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as refused:
            return refused.code


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """moto's S3 server on a free loopback port; yields its endpoint URL."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one log line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server: str, settings: Any) -> Iterator[Bucket]:
    """A new, empty bucket, made the default storage for this test as CITYHALL_S3_* would configure it."""
    import boto3

    name = f"cityhall-{uuid.uuid4().hex[:16]}"
    client = boto3.client(
        "s3", endpoint_url=s3_server, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, region_name=REGION
    )
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": default_storage_from(
            {
                "CITYHALL_S3_BUCKET": name,
                "CITYHALL_S3_ENDPOINT_URL": s3_server,
                "CITYHALL_S3_REGION": REGION,
                "CITYHALL_S3_ACCESS_KEY_ID": ACCESS_KEY,
                "CITYHALL_S3_SECRET_ACCESS_KEY": SECRET_KEY,
            }
        ),
    }
    found = Bucket(endpoint=s3_server, name=name, client=client)
    yield found
    for key in found.object_keys():
        client.delete_object(Bucket=name, Key=key)
    client.delete_bucket(Bucket=name)
