"""Which storage keeps the city's files, from the environment: read by config/settings.py.

Apart from cityhall/core/bucket.py (the backend itself) so that reading the settings does not load boto3.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LOCAL_FILES = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def default_storage_from(environ: Mapping[str, str]) -> dict[str, Any]:
    """Local files under MEDIA_ROOT, or the bucket named by CITYHALL_S3_BUCKET (docs/operations.md).

    Without keys, boto3 finds its own (AWS_* variables, an instance or pod role).
    """
    bucket = environ.get("CITYHALL_S3_BUCKET", "")
    if not bucket:
        return dict(LOCAL_FILES)
    return {
        "BACKEND": "cityhall.core.bucket.BucketStorage",
        "OPTIONS": {
            "bucket_name": bucket,
            "location": environ.get("CITYHALL_S3_PREFIX", "").strip("/"),
            "endpoint_url": environ.get("CITYHALL_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("CITYHALL_S3_REGION") or None,
            "addressing_style": environ.get("CITYHALL_S3_ADDRESSING_STYLE") or None,
            "access_key": environ.get("CITYHALL_S3_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("CITYHALL_S3_SECRET_ACCESS_KEY") or None,
        },
    }
