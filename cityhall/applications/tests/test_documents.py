"""Supporting documents: a PDF or a photo is kept; a file that is not what it claims is refused."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from cityhall.applications.models import Application, ApplicationFile
from cityhall.documents.tests.memo_builders import (
    encrypted_pdf,
    memo_pdf,
    pdf_with_compressed_javascript,
    pdf_with_embedded_file,
    pdf_with_javascript,
)

pytestmark = pytest.mark.django_db

SVG = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"
PDF = memo_pdf("Forty households on Pine Street agree to the block party.")


def photo_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make: must not survive
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


@pytest.fixture
def draft(digital_services, people) -> tuple[Client, Application]:
    client = Client()
    client.force_login(people["resident"])
    response = client.post(reverse("citizen:apply_start", args=["block-party"]))
    return client, Application.objects.get(reference=response.url.split("/")[2])


def upload(client: Client, application: Application, *files: SimpleUploadedFile):
    return client.post(
        reverse("citizen:application_edit", args=[application.reference]),
        {"event_name": "Pine St party", "petition": list(files), "action": "save"},
    )


def test_a_pdf_and_a_photo_are_kept_and_served_only_to_the_applicant(draft, people):
    client, application = draft
    response = upload(
        client,
        application,
        SimpleUploadedFile("petition.pdf", PDF, "application/pdf"),
        SimpleUploadedFile("../../signatures page 2.JPG", photo_with_gps(), "image/jpeg"),
    )
    assert response.status_code == 302
    application.refresh_from_db()
    names = [entry["name"] for entry in application.answers["petition"]]
    assert names == ["petition.pdf", "signatures page 2.jpg"]
    pdf, photo = (ApplicationFile.objects.get(pk=entry["id"]) for entry in application.answers["petition"])
    served = client.get(reverse("citizen:application_file", args=[application.reference, pdf.pk]))
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
    assert served["Content-Type"] == "application/pdf" and "attachment" in served["Content-Disposition"]
    photo_url = reverse("citizen:application_file", args=[application.reference, photo.pk])
    kept = b"".join(client.get(photo_url).streaming_content)
    assert b"PhoneMaker" not in kept and kept.startswith(b"\xff\xd8")

    someone_else = Client()
    someone_else.force_login(people["other_resident"])
    pdf_url = reverse("citizen:application_file", args=[application.reference, pdf.pk])
    assert someone_else.get(pdf_url).status_code == 404
    assert Client().get(pdf_url).status_code == 302


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("petition.pdf", b"MZ\x90\x00 a Windows program", "not a PDF or a photo"),
        ("petition.jpg", SVG, "not a PDF or a photo"),
        ("petition.pdf", pdf_with_javascript(), "scripts"),
        ("petition.pdf", pdf_with_javascript(escaped=True), "scripts"),
        ("petition.pdf", pdf_with_compressed_javascript(), "scripts"),
        ("petition.pdf", pdf_with_embedded_file(), "scripts"),
        ("petition.pdf", encrypted_pdf(), "password"),
        ("petition.pdf", PDF[:40], "damaged"),
        # Cut short, yet still ending as a PDF does: its cross-reference table is gone all the same.
        ("petition.pdf", PDF[: len(PDF) // 2] + b"\n%%EOF\n", "damaged"),
        ("petition.pdf", b"%PDF-1.7 and then the bytes of something else", "damaged"),
        ("petition.jpg", b"\xff\xd8\xff\xe0 truncated", "could not be read"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_an_upload_that_is_not_what_it_claims_is_refused_and_nothing_is_written(draft, name, content, message):
    client, application = draft
    response = upload(client, application, SimpleUploadedFile(name, content, "application/pdf"))
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page and 'href="#field-petition"' in page
    application.refresh_from_db()
    assert application.answers == {} and not ApplicationFile.objects.exists()


@pytest.mark.parametrize(
    ("content", "spanish"),
    [
        (encrypted_pdf(), "El PDF está protegido con una contraseña; súbalo sin ella."),
        (pdf_with_javascript(), "El PDF contiene scripts o archivos incrustados, que no se aceptan"),
        (PDF[:40], "No se pudo leer el PDF; puede estar dañado o incompleto."),
    ],
)
def test_a_refused_pdf_is_explained_in_the_applicant_s_language(draft, content, spanish):
    """The refusal's words are the documents app's, the one rule's; they reach an applicant in Spanish too."""
    client, application = draft
    response = client.post(
        reverse("citizen:application_edit", args=[application.reference]),
        {"event_name": "Fiesta", "petition": SimpleUploadedFile("p.pdf", content, "application/pdf"), "action": "save"},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 400
    assert spanish in response.content.decode()
    assert not ApplicationFile.objects.exists()


def test_an_oversized_upload_is_refused(draft, settings):
    client, application = draft
    big = PDF + b"0" * (15 * 1024 * 1024)
    response = upload(client, application, SimpleUploadedFile("big.pdf", big, "application/pdf"))
    assert response.status_code == 400 and "15 MB" in response.content.decode()
    assert not ApplicationFile.objects.exists()
