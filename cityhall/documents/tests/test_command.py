"""`cityhall documents`: what an operator does from the shell, seen through the published files."""

from __future__ import annotations

import io

import pytest
from cryptography import x509
from django.core.management import call_command

from cityhall.documents.models import SigningCertificate

pytestmark = pytest.mark.django_db


def test_init_ca_prints_the_published_roots_fingerprint_and_no_key(client, santa_monica):
    out = io.StringIO()
    call_command("documents", "init-ca", stdout=out)

    root = x509.load_pem_x509_certificate(client.get("/documents/trust-root.pem").content)
    printed = out.getvalue()
    assert root.fingerprint(root.signature_hash_algorithm).hex(":").upper() in printed
    assert "PRIVATE" not in printed


def test_revoking_a_person_puts_their_certificate_in_the_served_crl(
    client, permit, people, django_capture_on_commit_callbacks
):
    serial = SigningCertificate.objects.get(person=people["supervisor"]).serial
    crl_before = x509.load_der_x509_crl(client.get("/documents/crl.crl").content)
    assert crl_before.get_revoked_certificate_by_serial_number(int(serial, 16)) is None

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("documents", "revoke", "--email", people["supervisor"].email, "--reason", "Left", stdout=out)

    crl = x509.load_der_x509_crl(client.get("/documents/crl.crl").content)
    assert crl.get_revoked_certificate_by_serial_number(int(serial, 16)) is not None
    assert f"Revoked {serial}" in out.getvalue()
