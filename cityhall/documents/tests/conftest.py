"""Each test gets its own city authority, in a signing directory of its own."""

from __future__ import annotations

import pytest
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko_certvalidator import ValidationContext

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


def served_context(client) -> ValidationContext:
    """The root certificate and CRL as anyone downloads them from the site, and nothing else trusted."""
    root = client.get("/documents/trust-root.pem")
    crl = client.get("/documents/crl.crl")
    assert root.status_code == crl.status_code == 200
    _type, _headers, der = pem.unarmor(root.content)
    return ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(der)],
        crls=[crl.content],
        allow_fetching=False,
        revocation_mode="hard-fail",
    )
