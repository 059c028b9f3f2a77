"""/verify as a person or a program uses it: upload a PDF or follow a document number, in both languages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cityhall.documents import services

from .conftest import stored_bytes

pytestmark = pytest.mark.django_db


def upload(client, data: bytes, *, language: str = "en", name: str = "permit.pdf"):
    return client.post(
        "/verify",
        {"document": SimpleUploadedFile(name, data, content_type="application/pdf")},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_a_genuine_permit_is_confirmed_in_plain_words(client, permit, people):
    response = upload(client, stored_bytes(permit))

    assert response.status_code == 200
    page = response.content.decode()
    assert "This document is genuine" in page
    assert f"Signed by {people['supervisor'].name}" in page
    assert "Sealed by the city" in page
    assert permit.number in page


def test_a_genuine_permit_is_confirmed_in_spanish(client, permit):
    page = upload(client, stored_bytes(permit), language="es").content.decode()

    assert "Este documento es auténtico" in page
    assert "Sellado por la ciudad" in page


def test_a_changed_permit_says_exactly_why_in_both_languages(client, permit):
    data = bytearray(stored_bytes(permit))
    data[data.index(b"/Title (Permit") + len(b"/Title (")] = ord("Q")

    english = upload(client, bytes(data)).content.decode()
    spanish = upload(client, bytes(data), language="es").content.decode()
    assert "This document could not be verified" in english
    assert "This PDF was changed after it was signed." in english
    assert "Este PDF se modificó después de firmarse." in spanish


def test_a_file_that_is_not_a_pdf_is_named_so(client, santa_monica):
    page = upload(client, b"GIF89a not a document", name="photo.pdf").content.decode()

    assert "This file is not a PDF." in page


def test_a_file_over_the_limit_is_refused_beside_the_field(client, santa_monica, settings):
    settings.CITYHALL_VERIFY_MAX_BYTES = 1000
    response = upload(client, b"%PDF-1.7\n" + b"0" * 2000)

    assert response.status_code == 400
    assert "no document of the city is that large" in response.content.decode()


def test_a_document_number_leads_to_the_citys_record(client, permit, people):
    response = client.get("/verify", {"number": f" {permit.number.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{permit.number}"

    page = client.get(response["Location"]).content.decode()
    assert "The city issued and sealed this document, and stands by it." in page
    assert "Block party permit: 2nd Street" in page
    assert f"Signed by {people['supervisor'].name}" in page


def test_a_withdrawn_documents_record_says_so_and_why(client, permit):
    services.document_withdraw(permit, reason="Issued in error")

    page = client.get(f"/verify/{permit.number}", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "La ciudad retiró este documento" in page
    assert "Issued in error" in page


def test_an_unknown_number_is_a_clear_not_found(client, santa_monica):
    response = client.get("/verify/2026-AAAA-BBBB")

    assert response.status_code == 404
    assert "The city has issued no document numbered 2026-AAAA-BBBB." in response.content.decode()


def test_the_trust_root_and_crl_are_public_and_hold_no_private_key(client, permit):
    root = client.get("/documents/trust-root.pem")
    crl = client.get("/documents/crl.pem")

    assert root.content.startswith(b"-----BEGIN CERTIFICATE-----")
    assert crl.content.startswith(b"-----BEGIN X509 CRL-----")
    assert b"PRIVATE" not in root.content + crl.content


def test_only_staff_with_a_second_factor_download_a_documents_file(client, permit, people):
    address = f"/documents/{permit.number}.pdf"
    assert client.get(address).status_code == 404
    client.force_login(people["resident"])
    assert client.get(address).status_code == 404

    client.force_login(people["supervisor"])  # who has an authenticator app
    response = client.get(address)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored_bytes(permit)


def test_a_flood_of_uploads_is_refused(client, santa_monica, settings):
    settings.CITYHALL_RATE_LIMITS = {"verify": 2}
    statuses = [upload(client, b"not a pdf").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
