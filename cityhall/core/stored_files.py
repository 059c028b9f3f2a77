"""Files in storage, and keeping none that no row names.

A file is stored before the row that names it (the row holds its name), so a block that fails after
the write would leave the file behind, named by nothing and never deleted: a decision's issued PDF
with the applicant's name in it, a resident's photo. Each service that stores files and then writes
rows runs inside `stored_files_kept_only_on_success`, and whatever stores a file inside it says so
with `remember_stored`; the block deletes what it stored if it fails.

Store files inside the block but before its `transaction.atomic()`: a transaction holds locks (on
SQLite, the one writer's lock of the whole database) that should not wait on a disk or a bucket.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.files.storage import default_storage

# The lists of the blocks now running, outermost first: a file stored inside nested blocks is in each
# of their lists, so an outer block that fails after an inner one succeeded still deletes it.
_stored_in: ContextVar[tuple[list[str], ...]] = ContextVar("stored_in", default=())


def remember_stored(name: str) -> None:
    """Tell the blocks now running that `name` was just stored in the default storage."""
    for stored in _stored_in.get():
        stored.append(name)


@contextmanager
def stored_files_kept_only_on_success() -> Iterator[None]:
    """Deletes the files stored inside the block if the block raises, then lets the error go on.

    Put it outside the block's `transaction.atomic()`: the rows roll back first, then their files go.
    """
    stored: list[str] = []
    token = _stored_in.set((*_stored_in.get(), stored))
    try:
        yield
    except BaseException:
        for name in stored:
            default_storage.delete(name)  # a name already gone (an inner block's) is no error
        raise
    finally:
        _stored_in.reset(token)
