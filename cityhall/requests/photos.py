"""Storing photos that the media pipeline has already sanitised."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import BinaryIO

from django.core.files.base import ContentFile

from cityhall.core.errors import ValidationFailed
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


def attach(
    service_request: ServiceRequest,
    photos: Iterable[SanitisedPhoto],
    *,
    event: RequestEvent | None,
    purpose: str,
    at: datetime,
    is_public: bool = True,
) -> list[Attachment]:
    saved = []
    for photo in photos:
        stem = uuid.uuid4().hex
        attachment = Attachment(
            request=service_request,
            event=event,
            purpose=purpose,
            is_public=is_public,
            content_type=photo.content_type,
            width=photo.width,
            height=photo.height,
            size=len(photo.content),
            sha256=photo.sha256,
            created_at=at,
        )
        attachment.image.save(f"{stem}.{photo.extension}", ContentFile(photo.content), save=False)
        attachment.thumbnail.save(f"{stem}.thumb.{photo.extension}", ContentFile(photo.thumbnail), save=False)
        attachment.save()
        saved.append(attachment)
    return saved
