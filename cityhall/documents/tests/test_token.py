"""The city's seal on a PKCS#11 token: SoftHSM v2 (tools/ensure-softhsm), a real token in a temporary
directory, with a P-256 key generated on it that never leaves it. The city's authority certifies that
key (`cityhall documents seal-certificate --pkcs11`), documents are sealed on the token, and pyHanko
validates them against the served root and CRL as anyone would."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pkcs11
import pytest
from cryptography.hazmat.primitives import serialization
from django.core.management import call_command
from pkcs11 import Attribute, KeyType, ObjectClass
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature

from bench.ports import free_port
from cityhall.core import clock
from cityhall.core.errors import DomainError
from cityhall.documents import pki, services
from cityhall.documents.models import Document
from cityhall.documents.problems import Problem
from cityhall.documents.verification import verify_pdf
from tests.softhsm import KEY, PIN, TOKEN, seal_on_token

from .conftest import served_context, stored_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_token(settings, softhsm):
    return seal_on_token(settings, softhsm)


def _signed(people) -> Document:
    document = services.document_issue(kind="approval", title="Approved", paragraphs=["Yes."], language="en")
    return services.document_sign_by(document, people["supervisor"])


def test_a_document_sealed_on_the_token_validates_against_the_served_root(client, people, on_token, softhsm):
    out = io.StringIO()
    call_command("documents", "seal-certificate", "--pkcs11", stdout=out)
    assert "Stored on the token: O=City of Santa Monica,CN=City of Santa Monica Seal" in out.getvalue()
    assert client.get("/readyz").json()["signing"] == "ok"

    document = services.document_seal(_signed(people))

    data = stored_bytes(document)
    embedded = PdfFileReader(io.BytesIO(data)).embedded_signatures
    assert [signature.field_name for signature in embedded] == ["Signature1", "CitySeal"]
    for signature in embedded:
        status = validate_pdf_signature(signature, served_context(client))
        assert status.intact and status.valid and status.trusted and not status.revoked and status.bottom_line
        assert len(status.validation_path) == 2  # the signer's certificate, then the city's root
    seal = validate_pdf_signature(embedded[-1], served_context(client)).signing_cert
    # The seal is the token's key: its certificate holds the public half read from the token.
    with pkcs11.lib(softhsm).get_token(token_label=TOKEN).open(user_pin=PIN) as session:
        private = session.get_key(ObjectClass.PRIVATE_KEY, KeyType.EC, label=KEY)
        assert private[Attribute.SENSITIVE] and not private[Attribute.EXTRACTABLE]
    assert seal.public_key.dump() == pki.token.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert verify_pdf(data).genuine
    # No seal key was written to the signing directory: only the authority (and the staff's keys) are there.
    assert not (pki.signing_dir() / pki.SEAL_FILE).exists()


def test_a_wrong_pin_is_refused_clearly_and_nothing_is_sealed(client, people, on_token, caplog):
    call_command("documents", "seal-certificate", "--pkcs11", stdout=io.StringIO())
    document = _signed(people)
    on_token.CITYHALL_SIGNING_SEAL_PKCS11_PIN = "000000"

    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["signing"] == "unavailable: the token refused the PIN"
    assert "000000" not in ready.content.decode() and TOKEN not in ready.content.decode()
    with pytest.raises(DomainError) as refused:
        services.document_seal(document)
    assert refused.value.message == str(Problem.SEAL_UNAVAILABLE.label)
    assert f"the token '{TOKEN}' refused the PIN" in caplog.text and "000000" not in caplog.text
    document.refresh_from_db()
    assert document.sealed_at is None
    assert [
        signature.field_name for signature in PdfFileReader(io.BytesIO(stored_bytes(document))).embedded_signatures
    ] == ["Signature1"]


def test_a_foreign_certificate_a_missing_key_or_module_is_not_ready(client, on_token):
    call_command("documents", "seal-certificate", "--pkcs11", stdout=io.StringIO())
    on_token.CITYHALL_SIGNING_DIR = Path(on_token.CITYHALL_SIGNING_DIR).parent / "another-authority"
    assert (
        client.get("/readyz").json()["signing"]
        == "unavailable: the seal's certificate is not from the city's authority"
    )

    on_token.CITYHALL_SIGNING_SEAL_PKCS11_KEY = "no-such-key"
    assert client.get("/readyz").json()["signing"] == "unavailable: no private key on the token"
    on_token.CITYHALL_SIGNING_SEAL_PKCS11_MODULE = str(Path(on_token.CITYHALL_SIGNING_DIR) / "missing.so")
    assert client.get("/readyz").json()["signing"] == "unavailable: the module cannot be loaded"


def test_serve_refuses_to_start_when_the_token_refuses_the_pin(softhsm, tmp_path):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CITYHALL_DATA_DIR": str(tmp_path),
        "CITYHALL_SIGNING_SEAL_PKCS11_MODULE": softhsm,
        "CITYHALL_SIGNING_SEAL_PKCS11_TOKEN": TOKEN,
        "CITYHALL_SIGNING_SEAL_PKCS11_KEY": KEY,
        "CITYHALL_SIGNING_SEAL_PKCS11_PIN": "000000",
    }
    environment.pop("DATABASE_URL", None)
    refused = subprocess.run(
        # Free ports all the same, should it start: it must stop before it listens.
        [sys.executable, "-m", "config.manage", "serve", "--port", str(free_port()), "--live-port", str(free_port())],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 1
    assert "Not starting: signing: unavailable: the token refused the PIN" in refused.stderr
    assert "000000" not in refused.stderr + refused.stdout


def test_a_certificate_file_for_another_key_or_no_certificate_at_all_is_not_ready(client, on_token, softhsm, tmp_path):
    call_command("documents", "seal-certificate", "--pkcs11", stdout=io.StringIO())
    elsewhere = tmp_path / "seal.pem"
    elsewhere.write_text(pki.certificate_pem(pki.issue("Another seal", years=1).certificate))
    on_token.CITYHALL_SIGNING_SEAL_PKCS11_CERTIFICATE = str(elsewhere)
    assert client.get("/readyz").json()["signing"] == "unavailable: the seal's certificate is for another key"

    on_token.CITYHALL_SIGNING_SEAL_PKCS11_CERTIFICATE = ""
    with pkcs11.lib(softhsm).get_token(token_label=TOKEN).open(user_pin=PIN, rw=True) as session:
        for certificate in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: KEY}):
            certificate.destroy()
    assert client.get("/readyz").json()["signing"] == "unavailable: no certificate on the token"


def test_a_ready_token_is_asked_again_after_half_a_minute_and_a_failing_one_at_every_probe(client, on_token, softhsm):
    """Each check logs in to the token: probes every few seconds from every machine would log in as often."""
    call_command("documents", "seal-certificate", "--pkcs11", stdout=io.StringIO())
    assert client.get("/readyz").json()["signing"] == "ok"
    with pkcs11.lib(softhsm).get_token(token_label=TOKEN).open(user_pin=PIN, rw=True) as session:
        for certificate in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: KEY}):
            certificate.destroy()
    assert client.get("/readyz").json()["signing"] == "ok"  # remembered: the token was not asked
    later = clock.now() + timedelta(seconds=pki.READY_REMEMBERED_SECONDS)
    with clock.travel(later):
        assert client.get("/readyz").json()["signing"] == "unavailable: no certificate on the token"
        call_command("documents", "seal-certificate", "--pkcs11", stdout=io.StringIO())
        assert client.get("/readyz").json()["signing"] == "ok"  # a failing answer is not remembered
