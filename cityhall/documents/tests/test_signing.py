"""Signed documents as any PAdES validator sees them: pyHanko's, trusting only the city's root."""

from __future__ import annotations

import io
import stat

import pytest
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from cityhall.accounts.models import Role, User
from cityhall.core.errors import DomainError
from cityhall.documents import pki, services
from cityhall.documents.models import SigningCertificate
from cityhall.documents.selectors import signatures_of
from cityhall.documents.verification import Reason, verify_pdf

from .conftest import served_context, stored_bytes

pytestmark = pytest.mark.django_db


def test_a_sealed_permit_validates_in_pyhanko_against_the_served_root_and_crl(client, permit, people):
    data = stored_bytes(permit)
    embedded = PdfFileReader(io.BytesIO(data)).embedded_signatures
    statuses = [validate_pdf_signature(signature, served_context(client)) for signature in embedded]

    assert [signature.field_name for signature in embedded] == ["Signature1", "CitySeal"]
    for status in statuses:
        assert status.intact and status.valid and status.trusted and not status.revoked
        assert status.bottom_line
        # The chain: the signer's certificate, then the city's root.
        assert len(status.validation_path) == 2
    assert statuses[0].signing_cert.subject.native["common_name"] == people["supervisor"].name
    assert statuses[-1].coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert statuses[0].coverage == SignatureCoverageLevel.ENTIRE_REVISION  # the seal came after it
    verdict = verify_pdf(data)
    assert verdict.genuine, verdict.reasons
    assert verdict.document == permit
    assert [line.is_city_seal for line in verdict.signatures] == [False, True]


def test_one_changed_byte_is_detected(permit):
    data = bytearray(stored_bytes(permit))
    # The document's title in its information dictionary, which the first signature covers: "Permit" -> "Qermit".
    at = data.index(b"/Title (Permit") + len(b"/Title (")
    data[at] = ord("Q")

    statuses = [
        validate_pdf_signature(signature, ValidationContext(trust_roots=[]))
        for signature in PdfFileReader(io.BytesIO(bytes(data)), strict=False).embedded_signatures
    ]
    assert not any(status.intact for status in statuses)
    verdict = verify_pdf(bytes(data))
    assert not verdict.genuine
    assert Reason.MODIFIED in verdict.reasons
    assert Reason.NO_RECORD in verdict.reasons


@pytest.mark.parametrize("keep", [0.5, 0.98])
def test_a_truncated_document_never_verifies(permit, keep):
    data = stored_bytes(permit)
    assert not verify_pdf(data[: int(len(data) * keep)]).genuine


def test_a_document_changed_and_resigned_by_a_foreign_authority_does_not_verify(permit, settings, tmp_path):
    # Someone with an authority of their own, which they built exactly as the city builds its own.
    settings.CITYHALL_SIGNING_DIR = tmp_path / "forger"
    forger = pki.issue("City of Santa Monica Seal", years=1)
    forger_root = pki.trust_root()
    settings.CITYHALL_SIGNING_DIR = tmp_path / "signing"
    writer = IncrementalPdfFileWriter(io.BytesIO(stored_bytes(permit)))
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(pem.unarmor(pki.certificate_pem(forger.certificate).encode())[2]),
        signing_key=__import__("cityhall.documents.signing", fromlist=["x"])._signer(forger).signing_key,
        cert_registry=SimpleCertificateStore.from_certs(
            [asn1_x509.Certificate.load(pem.unarmor(pki.certificate_pem(forger_root).encode())[2])]
        ),
    )
    resigned = signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="Forged"), signer=signer).getvalue()

    verdict = verify_pdf(resigned)
    assert not verdict.genuine
    assert Reason.FOREIGN in verdict.reasons
    assert Reason.NOT_SEALED in verdict.reasons
    assert Reason.NO_RECORD in verdict.reasons


def test_a_revoked_signers_certificate_is_listed_in_the_served_crl_and_fails(
    client, permit, people, django_capture_on_commit_callbacks
):
    certificate = SigningCertificate.objects.get(person=people["supervisor"])
    with django_capture_on_commit_callbacks(execute=True):
        services.signing_certificates_revoke_for(people["supervisor"], reason="Left the city's service")

    signature = PdfFileReader(io.BytesIO(stored_bytes(permit))).embedded_signatures[0]
    status = validate_pdf_signature(signature, served_context(client))
    assert status.revoked and not status.bottom_line
    assert verify_pdf(stored_bytes(permit)).reasons == [Reason.REVOKED]
    # A revoked person's key is gone: their next signature needs a new certificate.
    assert pki.staff_key_pair(certificate.serial) is None


def test_staff_without_a_second_factor_are_refused_a_certificate(people, santa_monica):
    newcomer = User.objects.create_user("newcomer@example.org", None, role=Role.STAFF, name="New Comer")
    document = services.document_issue(kind="memo", title="Memo", paragraphs=["Text."], language="en")

    with pytest.raises(DomainError) as refused:
        services.document_sign_by(document, newcomer)
    assert "second factor" in refused.value.message
    with pytest.raises(DomainError):
        services.document_sign_by(document, people["resident"])
    assert not SigningCertificate.objects.exists()
    assert signatures_of(document) == []


def test_a_sealed_document_takes_no_more_signatures(permit, people):
    with pytest.raises(DomainError) as refused:
        services.document_sign_by(permit, people["staff"])
    assert refused.value.message == "The city has sealed this document: no one can sign it any more."
    assert len(signatures_of(permit)) == 2


def test_a_withdrawn_document_no_longer_verifies(permit):
    services.document_withdraw(permit, reason="Issued in error")

    assert verify_pdf(stored_bytes(permit)).reasons == [Reason.WITHDRAWN]


def test_files_holding_private_keys_are_the_services_alone(permit, settings):
    folder = pki.signing_dir()
    key_files = [folder / pki.AUTHORITY_FILE, folder / pki.SEAL_FILE, *(folder / pki.STAFF_DIR).iterdir()]

    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert len(key_files) == 3
    for path in key_files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert b"PRIVATE KEY" in path.read_bytes()


def test_production_keys_come_from_pkcs12_files_and_are_never_copied_to_disk(client, people, settings, tmp_path):
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    # The city's own authority and seal, made elsewhere and handed over as passphrase-protected PKCS#12 files.
    settings.CITYHALL_SIGNING_DIR = tmp_path / "elsewhere"
    authority, seal = pki.city_authority(), pki.city_seal()
    for name, pair in (("authority", authority), ("seal", seal)):
        blob = pkcs12.serialize_key_and_certificates(
            name.encode(), pair.key, pair.certificate, None, BestAvailableEncryption(b"correct horse")
        )
        (tmp_path / f"{name}.p12").write_bytes(blob)
    settings.CITYHALL_SIGNING_DIR = tmp_path / "service"
    settings.CITYHALL_SIGNING_CA_PKCS12 = str(tmp_path / "authority.p12")
    settings.CITYHALL_SIGNING_SEAL_PKCS12 = str(tmp_path / "seal.p12")
    settings.CITYHALL_SIGNING_CA_PASSPHRASE = settings.CITYHALL_SIGNING_SEAL_PASSPHRASE = "correct horse"

    document = services.document_issue(kind="approval", title="Approved", paragraphs=["Yes."], language="en")
    document = services.document_seal(services.document_sign_by(document, people["supervisor"]))

    assert client.get("/documents/trust-root.pem").content.decode() == pki.certificate_pem(authority.certificate)
    assert verify_pdf(stored_bytes(document)).genuine
    assert sorted(path.name for path in (tmp_path / "service").iterdir()) == [pki.STAFF_DIR]
