"""What keeping photos in a bucket costs: a report with a photo, and a photo's download, local vs bucket.

    .venv/bin/python -m bench.photo_storage [--photos 40] [--downloads 200]

Uses the configured database (SQLite in CITYHALL_DATA_DIR, or DATABASE_URL) with the Santa Monica
catalogue. Starts moto's S3 server on a free loopback port (a dev dependency; the product talks to it
over HTTP through boto3 as to S3 or MinIO), so the bucket's figures are an upper bound of the
application's own share: moto is a Python server, slower than S3 or MinIO on a local network.
Both storages are measured in one run, in alternate blocks (a process keeps its storage and its
connection to the bucket across requests), through the same view and access check (Django's test
client, in-process). Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=40, help="reports with a photo sent to each storage")
    parser.add_argument("--downloads", type=int, default=200, help="downloads of a photo from each storage")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["CITYHALL_TASK_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"  # notifications: not sent
    import boto3
    import django

    django.setup()
    from django.test import Client, override_settings
    from moto.server import ThreadedMotoServer

    from cityhall.catalogue.models import Service
    from cityhall.core.storage_settings import default_storage_from
    from cityhall.requests import services
    from cityhall.requests.tests.builders import jpeg_with_gps

    from .seed import prepared_city

    jurisdiction = prepared_city(0)
    pothole = Service.objects.get(jurisdiction=jurisdiction, code="potholes")
    photo = jpeg_with_gps((4032, 3024))  # a 12 MP phone photo: stored at 2,560 px and a thumbnail

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint, bucket = f"http://{host}:{port}", f"bench-{uuid.uuid4().hex[:12]}"
    keys = {"CITYHALL_S3_ACCESS_KEY_ID": "bench", "CITYHALL_S3_SECRET_ACCESS_KEY": "bench-secret"}
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=keys["CITYHALL_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=keys["CITYHALL_S3_SECRET_ACCESS_KEY"],
    )
    s3.create_bucket(Bucket=bucket)
    storages: dict[str, dict[str, Any]] = {
        "local": default_storage_from({}),
        "bucket": default_storage_from(
            {"CITYHALL_S3_BUCKET": bucket, "CITYHALL_S3_ENDPOINT_URL": endpoint, "CITYHALL_S3_REGION": "us-east-1"}
            | keys
        ),
    }

    def submit() -> str:
        created = services.service_request_submit(
            service=pothole,
            location=services.Location(lat=34.0115, lng=-118.4917),
            description="Bench pothole",
            attributes={"SIZE": "M"},
            contact=services.Contact(email="bench@example.org"),
            photos_in=[photo],
        )
        return str(created.attachments.get().image.name)

    def timed(work: Callable[[], object]) -> float:
        started = time.perf_counter()
        work()
        return (time.perf_counter() - started) * 1000

    client = Client(HTTP_HOST="127.0.0.1")
    submits: dict[str, list[float]] = {name: [] for name in storages}
    downloads: dict[str, list[float]] = {name: [] for name in storages}
    raw: list[float] = []
    size = 0
    rounds = 5  # each storage in turn, a block at a time, as a process keeps its storage (and connection)
    with tempfile.TemporaryDirectory() as media:
        names = {}
        for _ in range(rounds):
            for name, storage in storages.items():
                with override_settings(MEDIA_ROOT=media, STORAGES={"default": storage}):
                    names[name] = submit()  # untimed: the first use opens the storage's connection
                    submits[name] += [timed(submit) for _ in range(max(1, args.photos // rounds))]

                    def download(stored: str = names[name]) -> None:
                        nonlocal size
                        response = client.get(f"/media/{stored}")
                        assert response.status_code == 200, response.status_code
                        size = len(response.getvalue())

                    downloads[name] += [timed(download) for _ in range(max(1, args.downloads // rounds))]
            # The bucket's own answer, without the application: what moto adds to each download.
            raw += [timed(lambda: s3.get_object(Bucket=bucket, Key=names["bucket"])["Body"].read()) for _ in range(5)]
    server.stop()

    print(f"{args.photos} reports with a 12 MP photo, {args.downloads} downloads of a stored photo ({size:,} bytes)")
    print(f"{'median ms':<28}{'local files':>12}{'bucket':>12}{'ratio':>8}")
    for label, figures in (("report with a photo", submits), ("photo download (200)", downloads)):
        local, remote = statistics.median(figures["local"]), statistics.median(figures["bucket"])
        print(f"{label:<28}{local:>12.1f}{remote:>12.1f}{remote / local:>7.2f}x")
    print(f"{'of which the GET from moto':<28}{'':>12}{statistics.median(raw):>12.1f}")


if __name__ == "__main__":
    main()
