"""Each test gets its own city authority, in a signing directory of its own."""

from __future__ import annotations

import pytest

from cityhall.documents import services


@pytest.fixture(autouse=True)
def _signing_dir(settings, tmp_path):
    settings.CITYHALL_SIGNING_DIR = tmp_path / "signing"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def permit(people):
    """A block-party permit, signed by a supervisor and sealed by the city."""
    document = services.document_issue(
        kind="permit",
        title="Block party permit: 2nd Street",
        paragraphs=["The city permits a block party on 2nd Street between Arizona and Wilshire."],
        conditions=["Keep a lane open for emergency vehicles.", "Music ends at 10 PM."],
        subject="application:1",
        language="en",
    )
    document = services.document_sign_by(document, people["supervisor"])
    return services.document_seal(document)


def stored_bytes(document) -> bytes:
    from django.core.files.storage import default_storage

    with default_storage.open(document.file_name, "rb") as file:
        return file.read()
