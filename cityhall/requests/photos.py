"""Storing photos that the media pipeline has already sanitised."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import BinaryIO

from django.core.files.base import ContentFile

from cityhall.core.errors import ValidationFailed
from cityhall.core.stored_files import remember_stored
from cityhall.media.pipeline import PhotoRejected, SanitisedPhoto, sanitise_photo

from .models import Attachment, RequestEvent, ServiceRequest

MAX_PHOTOS = 6
PhotoInput = bytes | BinaryIO


def sanitise_all(photos: Sequence[PhotoInput], *, field: str = "photos") -> list[SanitisedPhoto]:
    """Sanitise every photo before any row is written; the first bad one refuses the whole call."""
    if len(photos) > MAX_PHOTOS:
        raise ValidationFailed({field: f"At most {MAX_PHOTOS} photos at a time."})
    clean = []
    for index, photo in enumerate(photos, start=1):
        try:
            clean.append(sanitise_photo(photo))
        except PhotoRejected as exc:
            prefix = f"Photo {index}: " if len(photos) > 1 else ""
            raise ValidationFailed({field: prefix + exc.message}) from exc
    return clean


def store_all(photos: Iterable[SanitisedPhoto]) -> list[Attachment]:
    """Each photo's image and thumbnail in storage; the attachments come back unsaved, for `attach`.

    Call it inside `stored_files_kept_only_on_success` and before the transaction that writes the
    rows (core/stored_files.py): a disk's or a bucket's write then never holds the transaction's
    locks, and a transaction that fails leaves no photo of a resident behind.
    """
    stored = []
    for photo in photos:
        stem = uuid.uuid4().hex
        attachment = Attachment(
            content_type=photo.content_type,
            width=photo.width,
            height=photo.height,
            size=len(photo.content),
            sha256=photo.sha256,
        )
        attachment.image.save(f"{stem}.{photo.extension}", ContentFile(photo.content), save=False)
        remember_stored(attachment.image.name)
        attachment.thumbnail.save(f"{stem}.thumb.{photo.extension}", ContentFile(photo.thumbnail), save=False)
        remember_stored(attachment.thumbnail.name)
        stored.append(attachment)
    return stored


def attach(
    service_request: ServiceRequest,
    stored: Iterable[Attachment],
    *,
    event: RequestEvent | None,
    purpose: str,
    at: datetime,
    is_public: bool = True,
) -> list[Attachment]:
    """The rows of photos `store_all` stored, each naming its request, event and purpose."""
    saved = []
    for attachment in stored:
        attachment.request = service_request
        attachment.event = event
        attachment.purpose = purpose
        attachment.is_public = is_public
        attachment.created_at = at
        attachment.save()
        saved.append(attachment)
    return saved
