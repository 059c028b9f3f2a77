"""Where the city's files live: local files by default, an S3-compatible bucket when configured.

Photos, the city's logo and the open data snapshots are kept in Django's default storage and read and
written only through its API, so one setting (`STORAGES["default"]`, chosen by `CITYHALL_S3_BUCKET` in
config/settings.py) moves them all. Nothing in the bucket is public: objects are written without an ACL
(S3's default, private to the bucket's owner) and every download goes through the application, which
checks who asks before it streams the object (docs/operations.md, "Object storage"). So an object's
address is always the application's (`MEDIA_URL` + its name), never the bucket's.
"""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse

# Downloads are read in pieces of this size, not FileResponse's 4 KiB: each read of a bucket's body
# goes through urllib3 and botocore's checks, which cost more than the bytes of a small piece.
DOWNLOAD_PIECE = 64 * 1024


def stored_file_response(name: str, *, content_type: str, **options: Any) -> FileResponse:
    """A stored file streamed to the client from wherever the default storage keeps it.

    Raises FileNotFoundError when there is no such file. `options` are FileResponse's (`as_attachment`,
    `filename`).
    """
    # The bucket's storage streams its objects (core/bucket.py); local files are opened directly.
    stream = getattr(default_storage, "stream", None)
    if stream is not None:
        body, size = stream(name)
        response = FileResponse(body, content_type=content_type, **options)
        response["Content-Length"] = str(size)
    else:
        response = FileResponse(default_storage.open(name, "rb"), content_type=content_type, **options)
    response.block_size = DOWNLOAD_PIECE
    return response
