"""The S3-compatible bucket behind Django's storage API, when `CITYHALL_S3_BUCKET` names one.

Nothing in the bucket is public: objects are written without an ACL (S3's default, private to the
bucket's owner) and every download goes through the application (core/storage.py). Its own module, named
only by the settings (core/storage_settings.py), so that a site keeping local files never loads boto3
(docs/architecture.md, "Start-up").
"""

from __future__ import annotations

from typing import IO, Any, cast

from botocore.exceptions import ClientError
from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage

# Larger objects opened through the storage API (a snapshot's checksum list, a photo read by code) spool
# to a temporary file instead of memory; downloads do not open them that way (`stream`).
SPOOL_IN_MEMORY = 5 * 1024 * 1024


class BucketStorage(S3Storage):  # type: ignore[misc]  # django-storages ships no type information
    """Django's storage API over a private S3-compatible bucket (AWS S3, MinIO, Ceph, …)."""

    # No canned ACL: objects are private by S3's default, and buckets that disable ACLs (AWS's default
    # since 2023, "bucket owner enforced") refuse any ACL header but bucket-owner-full-control.
    default_acl = None
    # A second file under a name already taken gets a new name, as on the local disk.
    file_overwrite = False
    max_memory_size = SPOOL_IN_MEMORY

    def url(self, name: str, parameters: Any = None, expire: Any = None, http_method: Any = None) -> str:
        """The application's address for the object: downloads pass its access check, never the bucket's."""
        return f"{settings.MEDIA_URL}{filepath_to_uri(name)}"

    def stream(self, name: str) -> tuple[IO[bytes], int]:
        """The object's body as it arrives from the bucket, and its length: nothing is spooled first."""
        try:
            found = self.connection.meta.client.get_object(Bucket=self.bucket_name, Key=self._normalize_name(name))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise FileNotFoundError(name) from error
            raise
        return cast(IO[bytes], found["Body"]), int(found["ContentLength"])
