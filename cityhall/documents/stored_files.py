"""Document files in storage, and keeping none that no document names.

A file is stored before the row that names it (the row holds its name and hash), so a transaction
that fails after the write would leave the file behind, named by nothing and never deleted: the
issued PDF and the signed one of a decision whose seal could not be reached, with the applicant's
name in them. Each service that stores and then writes rows runs inside
`stored_files_kept_only_on_success`, which deletes what its block stored if the block fails.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

# The lists of the blocks now running, outermost first: a file stored inside nested blocks is in each
# of their lists, so an outer block that fails after an inner one succeeded still deletes it.
_stored_in: ContextVar[tuple[list[str], ...]] = ContextVar("documents_stored_in", default=())


def store(number: str, pdf: bytes) -> str:
    """Keeps a document's PDF under a new name in its number's folder; returns the name."""
    name = default_storage.save(f"documents/{number}/{secrets.token_hex(8)}.pdf", ContentFile(pdf))
    for stored in _stored_in.get():
        stored.append(name)
    return name


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
