"""Where the city's files live: local files by default, an S3-compatible bucket when configured.

Photos, the city's logo and the open data snapshots are kept in Django's default storage and read and
written only through its API, so one setting (`STORAGES["default"]`, chosen by `CITYHALL_S3_BUCKET` in
config/settings.py) moves them all. Nothing in the bucket is public: objects are written without an ACL
(S3's default, private to the bucket's owner) and every download goes through the application, which
checks who asks before it streams the object (docs/operations.md, "Object storage"). So an object's
address is always the application's (`MEDIA_URL` + its name), never the bucket's.
"""

from __future__ import annotations

from typing import IO, Any, cast

from botocore.exceptions import ClientError
from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage

# Larger objects opened through the storage API (a snapshot's checksum list, a photo read by code) spool
# to a temporary file instead of memory; downloads do not open them that way (`stored_file_response`).
SPOOL_IN_MEMORY = 5 * 1024 * 1024
# Downloads are read in pieces of this size, not FileResponse's 4 KiB: each read of a bucket's body
# goes through urllib3 and botocore's checks, which cost more than the bytes of a small piece.
DOWNLOAD_PIECE = 64 * 1024


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


def stored_file_response(name: str, *, content_type: str, **options: Any) -> FileResponse:
    """A stored file streamed to the client from wherever the default storage keeps it.

    Raises FileNotFoundError when there is no such file. `options` are FileResponse's (`as_attachment`,
    `filename`).
    """
    if isinstance(default_storage, BucketStorage):
        body, size = default_storage.stream(name)
        response = FileResponse(body, content_type=content_type, **options)
        response["Content-Length"] = str(size)
    else:
        response = FileResponse(default_storage.open(name, "rb"), content_type=content_type, **options)
    response.block_size = DOWNLOAD_PIECE
    return response
