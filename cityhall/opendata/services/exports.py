"""Internal exports: a dataset with the fields the public never sees, to a person allowed it, logged.

`dataset_export` checks the role (`access.py`), writes the log row (`DataExport`) before the first
byte leaves and fills in the row count after the last, then streams the file. A refused call writes
nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from cityhall.core import clock
from cityhall.core.errors import DomainError

from ..access import may_export_internal
from ..downloads import FORMATS
from ..internal import export_table
from ..models import DataExport
from ..registry import Dataset

EXPORT_FORMATS = ("csv", "parquet")


class ExportRefused(DomainError):
    status = 403

    def __init__(self, message: str = "Your role may not export the city's internal data.") -> None:
        super().__init__(message, code="forbidden")


def dataset_export(
    dataset: Dataset, *, file_format: str, via: DataExport.Via, user: Any = None, who: str = ""
) -> Iterator[bytes]:
    """The dataset with its internal fields in `file_format` (csv or parquet), logged as taken by this person.

    From the staff workspace `user` must hold an internal-export role; the command line (`via=COMMAND`)
    is the server's operator, named by `who`.
    """
    if file_format not in EXPORT_FORMATS:
        raise DomainError(f"Exports are {' or '.join(EXPORT_FORMATS)}.", field="format")
    if via != DataExport.Via.COMMAND and not may_export_internal(user):
        raise ExportRefused()
    log = DataExport.objects.create(
        created_at=clock.now(),
        user=user if getattr(user, "pk", None) else None,
        who=who or getattr(user, "email", ""),
        via=via,
        dataset_id=dataset.id,
        file_format=file_format,
    )
    columns, rows = export_table(dataset, internal=True)
    counter = _Counter(rows)
    return _logged(FORMATS[file_format].write(columns, counter), log, counter)


def _logged(pieces: Iterable[bytes], log: DataExport, counter: _Counter) -> Iterator[bytes]:
    yield from pieces
    DataExport.objects.filter(pk=log.pk).update(rows=counter.count, finished_at=clock.now())


class _Counter:
    """Passes the rows on, counting them."""

    def __init__(self, rows: Iterable[Any]) -> None:
        self._rows = iter(rows)
        self.count = 0

    def __iter__(self) -> Iterator[Any]:
        for row in self._rows:
            self.count += 1
            yield row
