"""Which version of the open data a download is: its ETag and Last-Modified, from one cheap query.

Every dataset is read from the projection's two tables or the catalogue's services and zones, so
their row counts and latest change times say whether anything a download holds may have changed:
a new or changed row moves a time, a deleted one a count. Each count and maximum is answered from
an index. Any change gives every dataset a new version; a client revalidates for a few bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Model

from cityhall.catalogue.models import Service, Zone

from .formats.values import normalize
from .models import PublicRequest, PublicRequestUpdate

_WATCHED: tuple[tuple[type[Model], str], ...] = (
    (PublicRequest, "updated_datetime"),
    (PublicRequestUpdate, "updated_datetime"),
    (Service, "updated_at"),
    (Zone, "updated_at"),
)


@dataclass(frozen=True)
class Version:
    last_modified: datetime | None
    fingerprint: str

    def etag(self, *parts: str) -> str:
        """A strong ETag for one representation (dataset, format, encoding) of this version."""
        digest = hashlib.sha256("|".join((self.fingerprint, *parts)).encode()).hexdigest()[:32]
        return f'"{digest}"'


def open_data_version() -> Version:
    quote = connection.ops.quote_name
    parts = " UNION ALL ".join(
        f"SELECT COUNT(*), MAX({quote(column)}) FROM {quote(model._meta.db_table)}"  # noqa: S608 (names from code)
        for model, column in _WATCHED
    )
    with connection.cursor() as cursor:
        cursor.execute(parts)
        facts = cursor.fetchall()
    moments = [moment for _, latest in facts if (moment := normalize("calendar_date", latest)) is not None]
    last = max(moments, default=None)
    fingerprint = ";".join(f"{count}@{latest}" for count, latest in facts)
    return Version(last.replace(microsecond=0) if isinstance(last, datetime) else None, fingerprint)
